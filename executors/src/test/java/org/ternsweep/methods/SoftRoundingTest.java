package org.ternsweep.methods;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.ternsweep.quant.Granularity;
import org.ternsweep.quant.TernaryFit;
import org.ternsweep.quant.TernaryOperator;
import org.ternsweep.runner.Registry;

class SoftRoundingTest {

    static Stream<Arguments> operatorsAndGranularities() {
        List<Arguments> out = new ArrayList<>();
        List<Map<String, Object>> mquant = List.of(Map.of("level", "mean"), Map.of("level", "median"),
                Map.of("level", "double"), Map.of("level", "mean", "symmetric", false));
        for (Granularity g : Granularity.values()) {
            out.add(Arguments.of("native", Map.of(), g));
            out.add(Arguments.of("tquant", Map.of(), g));
            for (Map<String, Object> o : mquant) {
                out.add(Arguments.of("mquant", o, g));
            }
        }
        return out.stream();
    }

    /** Gaussian weights with one exact zero. */
    static float[] gaussian(long[] shape, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int n = 1;
        for (long d : shape) {
            n *= (int) d;
        }
        float[] w = new float[n];
        for (int i = 0; i < n; i++) {
            w[i] = (float) (rnd.nextGaussian() * 0.1);
        }
        w[3] = 0f;
        return w;
    }

    @ParameterizedTest
    @MethodSource("operatorsAndGranularities")
    void initialHardCodesAreTheOperatorsCodes(String name, Map<String, Object> options, Granularity g) {
        TernaryOperator op = Registry.operator(name, options);
        for (long[] shape : List.of(new long[] {31, 6}, new long[] {5, 3, 3, 3})) {
            int axis = shape.length == 2 ? 1 : 0;
            float[] w = gaussian(shape, 7);
            TernaryFit fit = op.fit(Nd4j.create(w, shape, 'c'), g, axis);
            // Put weights exactly on each group's thresholds and levels, then refit: the fit may move, so
            // check again that those values are present under the final fit.
            int[] group = fit.layout().groupIndex();
            for (int i = 0; i < w.length; i++) {
                int k = i % 7;
                if (k == 1) {
                    w[i] = (float) fit.threshold(group[i]);
                } else if (k == 2) {
                    w[i] = (float) -fit.negativeThreshold(group[i]);
                } else if (k == 5) {
                    w[i] = (float) fit.lambda(group[i]);
                }
            }
            INDArray wa = Nd4j.create(w, shape, 'c');
            fit = op.fit(wa, g, axis);
            float[] expected = toFloats(op.codes(wa, fit));
            group = fit.layout().groupIndex();
            int atThreshold = 0;
            for (int i = 0; i < w.length; i++) {
                if (w[i] == (float) fit.threshold(group[i]) && w[i] == fit.threshold(group[i])) {
                    atThreshold++;
                }
            }
            assertTrue(atThreshold > 0 || shape.length == 4, "the test must include a weight exactly at t");
            SoftRounding r = new SoftRounding("layer", w, fit);
            assertArrayEquals(expected, r.codes(), name + " " + options + " " + g + " " + java.util.Arrays.toString(shape));
            assertArrayEquals(toFloats(op.quantize(wa, fit)), r.hardWeight(), 1e-7f);
        }
    }

    @Test
    void weightExactlyAtTheThresholdCodesToZeroAndItsVIsFinite() {
        // |w| == t gives r = 0.5 exactly; the init must keep it on the zero side.
        double v = SoftRounding.initialV(0.25, 0.25, 0.5, false);
        assertTrue(Double.isFinite(v));
        assertTrue(SoftRounding.h(v) < 0.5);
        assertTrue(SoftRounding.h(SoftRounding.initialV(0.2500001, 0.25, 0.5, true)) >= 0.5);
        // standard AdaRound init r = |w|/λ when t = λ/2
        assertEquals(0.3, SoftRounding.h(SoftRounding.initialV(0.15, 0.25, 0.5, false)), 1e-12);
        assertEquals(0.8, SoftRounding.h(SoftRounding.initialV(0.4, 0.25, 0.5, true)), 1e-12);
        // guards: t == 0 and λ == t
        assertTrue(Double.isFinite(SoftRounding.initialV(0.0, 0.0, 0.0, false)));
        assertTrue(SoftRounding.h(SoftRounding.initialV(0.3, 0.3, 0.3, false)) < 0.5);
        assertTrue(SoftRounding.h(SoftRounding.initialV(1.0, 0.0, 1.0, true)) >= 0.5);
    }

    @Test
    void pinnedAndZeroWeightsAreNotLearned() {
        float[] w = {0f, 0.05f, 0.3f, 1.0f, -1.0f, -0.2f};
        // native per-tensor: M = 1, t = 0.5, λ = 1 → nothing above λ; tquant: λ = 2/3, t = 1/3 → ±1.0 pinned
        TernaryOperator op = Registry.operator("tquant", Map.of());
        TernaryFit fit = op.fit(Nd4j.create(w, new long[] {6}, 'c'), Granularity.PER_TENSOR, 0);
        SoftRounding r = new SoftRounding("l", w, fit);
        assertEquals(3, r.learnedCount());
        float[] soft = new float[6];
        r.softWeight(soft);
        assertEquals(0f, soft[0]);
        assertEquals((float) (2.0 / 3), soft[3], 1e-7f);
        assertEquals((float) (-2.0 / 3), soft[4], 1e-7f);
    }

    @Test
    void regulariserGradientMatchesFiniteDifferences() {
        float[] w = {0.1f, -0.2f, 0.33f, -0.45f, 0.05f, 0.6f};
        TernaryFit fit = Registry.operator("native", Map.of()).fit(Nd4j.create(w, new long[] {6}, 'c'),
                Granularity.PER_TENSOR, 0);
        SoftRounding r = new SoftRounding("l", w, fit);
        double beta = 7.5;
        double reg = 0.3;
        double[] dV = new double[6];
        r.gradient(new float[6], reg, beta, dV);
        double[] v = r.variables();
        int checked = 0;
        for (int i = 0; i < v.length; i++) {
            double hv = SoftRounding.h(v[i]);
            if (hv <= 0 || hv >= 1) {
                continue; // the clip's kink (here w = M, r = 1): not differentiable
            }
            checked++;
            double eps = 1e-6;
            double keep = v[i];
            v[i] = keep + eps;
            double up = reg * r.regulariser(beta);
            v[i] = keep - eps;
            double down = reg * r.regulariser(beta);
            v[i] = keep;
            assertEquals((up - down) / (2 * eps), dV[i], 1e-6 * Math.max(1, Math.abs(dV[i])), "V[" + i + "]");
        }
        assertEquals(5, checked);
    }

    @Test
    void clippedSigmoidShortcutGivesTheExactHAndSlope() {
        double z = Math.log(11);
        for (double c : new double[] {-z, z}) {
            for (double d = -0.01; d <= 0.01; d += 1e-5) {
                double v = c + d;
                double s = SoftRounding.sigmoidOrClip(v);
                double y = s * (SoftRounding.ZETA - SoftRounding.GAMMA) + SoftRounding.GAMMA;
                double hv = Math.min(1.0, Math.max(0.0, y));
                double dhv = y <= 0 || y >= 1 ? 0.0 : s * (1 - s) * (SoftRounding.ZETA - SoftRounding.GAMMA);
                assertEquals(SoftRounding.h(v), hv, 0.0, "h at V = " + v);
                assertEquals(SoftRounding.dh(v), dhv, 0.0, "dh/dV at V = " + v);
            }
        }
        assertEquals(0.0, SoftRounding.sigmoidOrClip(-40), 0.0);
        assertEquals(1.0, SoftRounding.sigmoidOrClip(40), 0.0);
    }

    @Test
    void fusedLearnStepIsBitwiseTheGradientThenAdamThenSoftWeight() {
        SplittableRandom rng = new SplittableRandom(5);
        int n = 400;
        float[] w = new float[n];
        float[] dLdW = new float[n];
        for (int i = 0; i < n; i++) {
            w[i] = (float) rng.nextGaussian();
            dLdW[i] = (float) (3 * rng.nextGaussian());
        }
        TernaryFit fit = Registry.operator("mquant", Map.of()).fit(Nd4j.create(w, new long[] {n}, 'c'),
                Granularity.PER_TENSOR, 0);
        SoftRounding fused = new SoftRounding("l", w, fit);
        SoftRounding plain = new SoftRounding("l", w, fit);
        double lr = 0.5;
        double reg = 0.05;
        double beta = 6;
        VectorAdam adam = new VectorAdam(n, lr);
        float[] fusedSoft = new float[n];
        fused.softWeight(fusedSoft);
        double[] m = new double[n];
        double[] s2 = new double[n];
        double[] dV = new double[n];
        for (int t = 1; t <= 3; t++) {
            double fusedReg = fused.learnStep(dLdW, reg, beta, adam, fusedSoft, "test", t);
            double plainReg = plain.gradient(dLdW, reg, beta, dV);
            double c1 = 1 - Math.pow(0.9, t);
            double c2 = 1 - Math.pow(0.999, t);
            double a = lr * Math.sqrt(c2) / c1;
            double epsHat = 1e-8 * Math.sqrt(c2);
            double[] v = plain.variables();
            for (int i = 0; i < n; i++) {
                if (plain.learnedMask()[i]) {
                    m[i] = 0.9 * m[i] + (1 - 0.9) * dV[i];
                    s2[i] = 0.999 * s2[i] + (1 - 0.999) * dV[i] * dV[i];
                    v[i] -= a * m[i] / (Math.sqrt(s2[i]) + epsHat);
                }
            }
            float[] plainSoft = new float[n];
            plain.softWeight(plainSoft);
            assertEquals(plainReg, fusedReg, 0.0, "regulariser at step " + t);
            assertArrayEquals(plain.v(), fused.v(), 0.0, "V after step " + t);
            assertArrayEquals(plainSoft, fusedSoft, 0f, "soft weight after step " + t);
        }
        assertTrue(fused.fractionDecided(1e-3) > 0, "the large steps must push some h(V) into the clip");
    }

    private static float[] toFloats(INDArray a) {
        return a.castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT).dup('c').data().asFloat();
    }
}
