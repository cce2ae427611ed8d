package org.ternsweep.quant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.ternsweep.core.LayerDiagnostics;

class DiagnosticsTest {

    private static final INDArray W = Nd4j.createFromArray(1.0, -2.0, 3.0, -4.0);

    @Test
    void ternaryLayerByHand() {
        // λ = 3, t = 1.5: codes 0, -1, +1, -1 and q = 0, -3, 3, -3.
        // Σw² = 30, Σ(w-q)² = 1 + 1 + 0 + 1 = 3, so SQNR = 10·log10(10) = 10 dB;
        // w̄ = -0.5, Σ(w-w̄)² = 2.25 + 2.25 + 12.25 + 12.25 = 29, so relMSE = 3/29.
        TernaryFit fit = TernaryFit.symmetric(new GroupLayout(new long[] {4}, -1), new double[] {3}, new double[] {1.5});
        INDArray q = new NativeOperator().quantize(W, fit);
        LayerDiagnostics d = Diagnostics.of("fc1", "ternary", W, q, fit);
        assertEquals("fc1", d.layer());
        assertEquals("ternary", d.scheme());
        assertEquals(4, d.weights());
        assertEquals(3.0, d.lambda());
        assertEquals(1.5, d.threshold());
        assertEquals(0.5, d.fracNeg());
        assertEquals(0.25, d.fracZero());
        assertEquals(0.25, d.fracPos());
        assertEquals(3.0 / 29, d.relMse(), 1e-15);
        assertEquals(10.0, d.sqnrDb(), 1e-12);
    }

    @Test
    void levelAndThresholdAreMeansOverGroups() {
        INDArray w = Nd4j.createFromArray(new double[][] {{1, -4}, {0.2, 2}});
        TernaryFit fit = new TQuantOperator().fit(w, Granularity.PER_CHANNEL, 1);
        LayerDiagnostics d = Diagnostics.of("conv1", "ternary", w, new TQuantOperator().quantize(w, fit), fit);
        assertEquals((2.0 / 3 + 8.0 / 3) / 2, d.lambda(), 1e-12);
        assertEquals((1.0 / 3 + 4.0 / 3) / 2, d.threshold(), 1e-12);
    }

    @Test
    void floatLayerIsExactAndHasNoCodes() {
        LayerDiagnostics d = Diagnostics.of("conv1", "fp", W, W.dup(), null);
        assertEquals(Double.POSITIVE_INFINITY, d.sqnrDb());
        assertEquals(0.0, d.relMse());
        assertTrue(Double.isNaN(d.fracNeg()) && Double.isNaN(d.fracZero()) && Double.isNaN(d.fracPos()));
        assertTrue(Double.isNaN(d.lambda()) && Double.isNaN(d.threshold()));
    }

    @Test
    void int8LayerHasNoCodesButAnError() {
        INDArray w = Nd4j.createFromArray(new double[][] {{0.3, -1.0}, {0.001, 0.5}});
        LayerDiagnostics d = Diagnostics.of("fc2", "int8", w, Int8Quantizer.quantize(w, 1), null);
        assertTrue(Double.isNaN(d.fracZero()));
        assertTrue(d.sqnrDb() > 40 && Double.isFinite(d.sqnrDb()), "8-bit SQNR " + d.sqnrDb());
    }

    @Test
    void constantWeightsWithAnErrorHaveInfiniteRelativeMse() {
        INDArray w = Nd4j.createFromArray(2.0, 2.0);
        LayerDiagnostics d = Diagnostics.of("x", "ternary", w, Nd4j.createFromArray(0.0, 2.0), null);
        assertEquals(Double.POSITIVE_INFINITY, d.relMse());
        assertEquals(10 * Math.log10(8.0 / 4.0), d.sqnrDb(), 1e-12);
        assertEquals(0.5, d.fracZero());
    }

    @Test
    void badInputsAreRejectedWithTheirName() {
        TernaryFit fit = new NativeOperator().fit(W, Granularity.PER_TENSOR, 0);
        IllegalArgumentException scheme = assertThrows(IllegalArgumentException.class,
                () -> Diagnostics.of("fc1", "binary", W, W, null));
        assertTrue(scheme.getMessage().contains("binary") && scheme.getMessage().contains("ternary, int8, fp"));
        IllegalArgumentException fitOnInt8 = assertThrows(IllegalArgumentException.class,
                () -> Diagnostics.of("fc1", "int8", W, W, fit));
        assertTrue(fitOnInt8.getMessage().contains("fc1"));
        IllegalArgumentException shape = assertThrows(IllegalArgumentException.class,
                () -> Diagnostics.of("fc1", "fp", W, Nd4j.createFromArray(1.0, 2.0), null));
        assertTrue(shape.getMessage().contains("[2]") && shape.getMessage().contains("[4]"));
    }
}
