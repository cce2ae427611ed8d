package org.ternsweep.quant;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.ternsweep.quant.TestTensors.Distribution;
import org.ternsweep.quant.TestTensors.Shape;

class Int8QuantizerTest {

    @ParameterizedTest
    @EnumSource(Shape.class)
    void everyErrorIsAtMostHalfAStepAndValuesLieOnTheGrid(Shape s) {
        for (Distribution d : Distribution.values()) {
            INDArray w = TestTensors.weights(d, s, 606);
            INDArray q = Int8Quantizer.quantize(w, s.outputAxis);
            assertArrayEquals(w.shape(), q.shape());
            assertEquals(w.ordering(), q.ordering());
            double[] scale = Int8Quantizer.scales(w, s.outputAxis);
            GroupLayout layout = GroupLayout.of(w.shape(), Granularity.PER_CHANNEL, s.outputAxis);
            double[][] wg = layout.split(TestTensors.values(w));
            double[][] qg = layout.split(TestTensors.values(q));
            for (int k = 0; k < wg.length; k++) {
                double m = 0;
                for (int i = 0; i < wg[k].length; i++) {
                    double err = Math.abs(wg[k][i] - qg[k][i]);
                    // float storage of q adds at most one float ulp of M on top of the rounding error
                    assertTrue(err <= scale[k] / 2 + Math.ulp((float) (127 * scale[k])),
                            d + " channel " + k + ": error " + err + " > scale/2 = " + scale[k] / 2);
                    double code = qg[k][i] / scale[k];
                    assertEquals(Math.rint(code), code, 1e-4, "value on the grid");
                    assertTrue(Math.abs(code) <= 127 + 1e-4);
                    m = Math.max(m, Math.abs(wg[k][i]));
                }
                assertEquals(m / 127, scale[k], 1e-12, "scale = max|w|/127 for channel " + k);
            }
        }
    }

    @Test
    void scalesAreTakenPerOutputChannelOfADenseLayer() {
        INDArray w = Nd4j.createFromArray(new double[][] {{1.0, 0.5}, {-0.254, 0.25}});
        assertArrayEquals(new double[] {1.0 / 127, 0.5 / 127}, Int8Quantizer.scales(w, 1), 1e-18);
        double[] q = TestTensors.values(Int8Quantizer.quantize(w, 1));
        // -0.254·127 = -32.258 rounds to -32; 0.25 / (0.5/127) = 63.5 is a tie and rounds to 64
        assertArrayEquals(new double[] {1.0, 0.5, -32.0 / 127, 64 * 0.5 / 127}, q, 1e-15);
    }

    @Test
    void tiesRoundToEven() {
        // max |w| = 127 gives scale 1 exactly, so each weight is its own code before rounding
        INDArray w = Nd4j.createFromArray(new double[][] {{127.0}, {62.5}, {-62.5}, {63.5}, {-0.5}});
        assertArrayEquals(new double[] {127, 62, -62, 64, 0}, TestTensors.values(Int8Quantizer.quantize(w, 1)));
    }

    @Test
    void anAllZeroChannelStaysZero() {
        INDArray w = TestTensors.weights(Distribution.GAUSSIAN, Shape.CONV.dims, 7);
        w.get(NDArrayIndex.point(2), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all()).assign(0);
        double[] q = TestTensors.values(Int8Quantizer.quantize(w, 0));
        assertEquals(0.0, Int8Quantizer.scales(w, 0)[2]);
        for (int i = 2 * 72; i < 3 * 72; i++) {
            assertEquals(0.0, q[i]);
        }
        assertTrue(java.util.Arrays.stream(q).allMatch(Double::isFinite));
    }

    @Test
    void anAxisOutsideTheTensorIsRejected() {
        INDArray w = Nd4j.createFromArray(new double[][] {{1.0, 0.5}});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Int8Quantizer.quantize(w, 2));
        assertTrue(e.getMessage().contains("axis 2") && e.getMessage().contains("[1, 2]"), e.getMessage());
    }
}
