package org.ternsweep.quant;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.ternsweep.catalog.MQuantOptions;
import org.ternsweep.quant.TestTensors.Distribution;
import org.ternsweep.quant.TestTensors.Shape;
import org.ternsweep.runner.Registry;

/** What each operator promises beyond the common contract (spec §2), over every distribution and granularity. */
class OperatorPropertiesTest {

    static Stream<Arguments> distributionsShapesGranularities() {
        List<Arguments> out = new ArrayList<>();
        for (Distribution d : Distribution.values()) {
            for (Shape s : Shape.values()) {
                for (Granularity g : Granularity.values()) {
                    out.add(Arguments.of(d, s, g));
                }
            }
        }
        return out.stream();
    }

    /** Per group: the largest |w − Q(w)| and M = max |w|. */
    private static double[][] maxErrorAndMax(TernaryOperator op, INDArray w, Granularity g, int axis) {
        TernaryFit fit = op.fit(w, g, axis);
        double[][] wg = fit.layout().split(TestTensors.values(w));
        double[][] qg = fit.layout().split(TestTensors.values(op.quantize(w, fit)));
        double[][] out = new double[wg.length][2];
        for (int k = 0; k < wg.length; k++) {
            for (int i = 0; i < wg[k].length; i++) {
                out[k][0] = Math.max(out[k][0], Math.abs(wg[k][i] - qg[k][i]));
                out[k][1] = Math.max(out[k][1], Math.abs(wg[k][i]));
            }
        }
        return out;
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("distributionsShapesGranularities")
    void tquantWorstErrorIsAThirdOfTheRangeAndNativeHalf(Distribution d, Shape s, Granularity g) {
        INDArray w = TestTensors.weights(d, s, 101);
        double[][] t = maxErrorAndMax(new TQuantOperator(), w, g, s.outputAxis);
        double[][] n = maxErrorAndMax(new NativeOperator(), w, g, s.outputAxis);
        for (int k = 0; k < t.length; k++) {
            double m = t[k][1];
            assertTrue(t[k][0] <= m / 3 + 1e-6 * m, "tquant group " + k + ": error " + t[k][0] + " > M/3 = " + m / 3);
            assertTrue(n[k][0] <= m / 2 + 1e-6 * m, "native group " + k + ": error " + n[k][0] + " > M/2 = " + m / 2);
            // the bound is reached up to sampling: some weight lies near the threshold, so the error is close to it
            assertTrue(t[k][0] > m / 3 * 0.5, "tquant group " + k + " never errs near M/3");
        }
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("distributionsShapesGranularities")
    void mquantSendsAThirdOfEveryGroupToZero(Distribution d, Shape s, Granularity g) {
        INDArray w = TestTensors.weights(d, s, 202);
        for (MQuantOptions.Level level : MQuantOptions.Level.values()) {
            TernaryOperator op = new MQuantOperator(level, true);
            TernaryFit fit = op.fit(w, g, s.outputAxis);
            double[][] codes = fit.layout().split(TestTensors.values(op.codes(w, fit)));
            for (int k = 0; k < codes.length; k++) {
                int n = codes[k].length;
                long zeros = java.util.Arrays.stream(codes[k]).filter(c -> c == 0).count();
                assertEquals(1.0 / 3, (double) zeros / n, 1.0 / n, level + " group " + k);
            }
        }
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("distributionsShapesGranularities")
    void asymmetricMquantGivesEachCodeAThirdWhenTheQuantilesStraddleZero(Distribution d, Shape s, Granularity g) {
        INDArray w = TestTensors.weights(d, s, 303);
        MQuantOperator op = new MQuantOperator(MQuantOptions.Level.MEAN, false);
        TernaryFit fit = op.fit(w, g, s.outputAxis);
        double[][] wg = fit.layout().split(TestTensors.values(w));
        double[][] codes = fit.layout().split(TestTensors.values(op.codes(w, fit)));
        for (int k = 0; k < codes.length; k++) {
            double[] sorted = wg[k].clone();
            java.util.Arrays.sort(sorted);
            boolean straddles = MQuantOperator.quantile(sorted, 1.0 / 3) < 0 && MQuantOperator.quantile(sorted, 2.0 / 3) > 0;
            if (!straddles) {
                continue;
            }
            int n = codes[k].length;
            for (double code : new double[] {-1, 0, 1}) {
                long count = java.util.Arrays.stream(codes[k]).filter(c -> c == code).count();
                assertEquals(1.0 / 3, (double) count / n, 1.0 / n, "code " + code + " in group " + k);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(MQuantOptions.Level.class)
    void asymmetricMquantGivesAClampedSideThatCodesWeightsAPositiveLevel(MQuantOptions.Level level) {
        // mostly positive: q1/3(w) > 0 clamps the negative threshold to 0, and both negatives code to -1
        double[] w = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, -0.05, -0.15};
        GroupLayout layout = new GroupLayout(new long[] {w.length}, -1);
        MQuantOperator op = new MQuantOperator(level, false);
        TernaryFit fit = op.fit(w, layout);
        assertEquals(0.0, fit.negativeThreshold(0));
        assertEquals(-1, fit.code(0, -0.05));
        assertTrue(fit.negativeLambda(0) > 0, level + ": a side that codes weights has a level > 0, got " + fit);
        double[] q = fit.quantize(w);
        assertArrayEquals(fit.codes(w), op.fit(q, layout).codes(q), level + ": quantizing twice keeps the codes");
    }

    @ParameterizedTest
    @EnumSource(value = Distribution.class, names = {"GAUSSIAN", "LAPLACE"})
    void mquantHasLowerMseThanNativeOnLargeGroups(Distribution d) {
        // per-tensor groups of 1152 and 65 536 weights, per-channel groups of 1024
        List<Object[]> cases = List.of(
                new Object[] {TestTensors.weights(d, Shape.CONV, 11), Granularity.PER_TENSOR, 0},
                new Object[] {TestTensors.weights(d, Shape.DENSE, 12), Granularity.PER_TENSOR, 1},
                new Object[] {TestTensors.weights(d, new long[] {1024, 16}, 13), Granularity.PER_CHANNEL, 1});
        for (Object[] c : cases) {
            INDArray w = (INDArray) c[0];
            Granularity g = (Granularity) c[1];
            int axis = (Integer) c[2];
            double[] nativeMse = groupMse(new NativeOperator(), w, g, axis);
            for (MQuantOptions.Level level : MQuantOptions.Level.values()) {
                double[] mquantMse = groupMse(new MQuantOperator(level, true), w, g, axis);
                for (int k = 0; k < nativeMse.length; k++) {
                    assertTrue(mquantMse[k] <= nativeMse[k], d + " " + g + " mquant(" + level + ") group " + k
                            + ": MSE " + mquantMse[k] + " > native " + nativeMse[k]);
                }
            }
        }
    }

    private static double[] groupMse(TernaryOperator op, INDArray w, Granularity g, int axis) {
        TernaryFit fit = op.fit(w, g, axis);
        double[][] wg = fit.layout().split(TestTensors.values(w));
        double[][] qg = fit.layout().split(TestTensors.values(op.quantize(w, fit)));
        double[] mse = new double[wg.length];
        for (int k = 0; k < wg.length; k++) {
            for (int i = 0; i < wg[k].length; i++) {
                mse[k] += (wg[k][i] - qg[k][i]) * (wg[k][i] - qg[k][i]) / wg[k].length;
            }
        }
        return mse;
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("shapesAndGranularities")
    void onUniformWeightsTquantAndMquantMeanAgreeWithinSamplingError(Shape s, Granularity g) {
        INDArray w = TestTensors.weights(Distribution.UNIFORM, s, 404);
        TernaryFit t = new TQuantOperator().fit(w, g, s.outputAxis);
        TernaryFit m = new MQuantOperator(MQuantOptions.Level.MEAN, true).fit(w, g, s.outputAxis);
        int n = t.layout().groupSize();
        // For |w| uniform on [0, M] the 1/3-quantile has standard deviation ≈ 0.47·M/√n; allow about 6 of them.
        for (int k = 0; k < t.groups(); k++) {
            double range = t.lambda(k) * 1.5;
            double tol = 3 * range / Math.sqrt(n);
            assertEquals(t.threshold(k), m.threshold(k), tol, "threshold of group " + k);
            assertEquals(t.lambda(k), m.lambda(k), tol, "level of group " + k);
        }
    }

    static Stream<Arguments> shapesAndGranularities() {
        List<Arguments> out = new ArrayList<>();
        for (Shape s : Shape.values()) {
            for (Granularity g : Granularity.values()) {
                out.add(Arguments.of(s, g));
            }
        }
        return out.stream();
    }

    @ParameterizedTest
    @MethodSource("realisticLayers")
    void nativeSendsMostOfARealisticGaussianLayerToZero(long[] dims, int axis) {
        INDArray w = TestTensors.weights(Distribution.GAUSSIAN, dims, 505);
        TernaryOperator op = Registry.operator("native", Map.of());
        double[] c = TestTensors.values(op.codes(w, op.fit(w, Granularity.PER_TENSOR, axis)));
        double zeros = java.util.Arrays.stream(c).filter(x -> x == 0).count() / (double) c.length;
        assertTrue(zeros > 0.9, "native zero fraction " + zeros);
        TernaryOperator mquant = Registry.operator("mquant", Map.of());
        double[] cm = TestTensors.values(mquant.codes(w, mquant.fit(w, Granularity.PER_TENSOR, axis)));
        double mZeros = java.util.Arrays.stream(cm).filter(x -> x == 0).count() / (double) cm.length;
        assertEquals(1.0 / 3, mZeros, 1e-3, "mquant on the same layer keeps two thirds non-zero");
    }

    static Stream<Arguments> realisticLayers() {
        return Stream.of(Arguments.of(new long[] {64, 32, 3, 3}, 0), Arguments.of(new long[] {512, 128}, 1));
    }
}
