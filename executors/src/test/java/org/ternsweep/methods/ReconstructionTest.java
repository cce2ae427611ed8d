package org.ternsweep.methods;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.ternsweep.catalog.ReconstructionOptions;
import org.ternsweep.core.NumericalFailureException;
import org.ternsweep.engine.Activation;
import org.ternsweep.engine.BatchNorm2d;
import org.ternsweep.engine.Conv2d;
import org.ternsweep.engine.Dense;
import org.ternsweep.engine.ResidualBlock;
import org.ternsweep.engine.Tensor;
import org.ternsweep.engine.WeightLayer;
import org.ternsweep.models.Nd4jArrays;
import org.ternsweep.quant.Granularity;
import org.ternsweep.quant.TernaryFit;
import org.ternsweep.quant.TernaryOperator;
import org.ternsweep.runner.Registry;

/** The rounding optimisation on small synthetic layers and blocks. */
class ReconstructionTest {

    static float[] gaussian(int n, double std, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (r.nextGaussian() * std);
        }
        return v;
    }

    static Dense dense(int in, int out, Activation a, long seed) {
        Dense d = new Dense("fc", new Tensor(gaussian(in * out, 1 / Math.sqrt(in), seed), in, out),
                gaussian(out, 0.1, seed + 1), a);
        d.bind(TestEngines.ENGINE);
        return d;
    }

    static Conv2d conv(int in, int out, int k, int stride, Activation a, long seed) {
        Conv2d c = new Conv2d("conv", new Tensor(gaussian(out * in * k * k, 1 / Math.sqrt(in * k * k), seed), out, in,
                k, k), gaussian(out, 0.1, seed + 1), stride, 1, a);
        c.bind(TestEngines.ENGINE);
        return c;
    }

    static Tensor positiveInputs(long seed, int... shape) {
        int n = 1;
        for (int s : shape) {
            n *= s;
        }
        float[] v = gaussian(n, 1, seed);
        for (int i = 0; i < n; i++) {
            v[i] = Math.abs(v[i]);
        }
        return new Tensor(v, shape);
    }

    static SoftRounding rounding(WeightLayer l, String op, Granularity g) {
        TernaryOperator o = Registry.operator(op, Map.of());
        TernaryFit fit = o.fit(Nd4jArrays.value(l.weight()), g, l.outputAxis());
        return new SoftRounding(l.name(), l.weight().valueFloats().clone(), fit);
    }

    /** Mean over rows of ‖block(x) − target‖². */
    static double error(ReconstructionBlock block, Tensor x, Tensor target) {
        float[] y = block.forward(x).data();
        float[] t = target.data();
        double s = 0;
        for (int i = 0; i < y.length; i++) {
            s += (y[i] - t[i]) * (double) (y[i] - t[i]);
        }
        return s / x.dim(0);
    }

    private static void gradientMatchesFiniteDifferences(WeightLayer layer, Tensor x, SoftRounding r) {
        ReconstructionBlock block = ReconstructionBlock.layer(layer);
        Tensor target = Activations.activatedOutput(layer, x);
        // move V away from the init so that the loss gradient is not ~0, and stay off the clip's kinks
        double[] v = r.variables();
        SplittableRandom rnd = new SplittableRandom(3);
        for (int i = 0; i < v.length; i++) {
            if (r.learnedMask()[i]) {
                v[i] = rnd.nextDouble(-2, 2);
            }
        }
        int[] idx = new int[x.dim(0)];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        float[][] soft = {new float[r.size()]};
        double[][] dV = {new double[r.size()]};
        double reg = 0.05;
        double beta = 4;
        List<WeightLayer> ls = List.of(layer);
        List<SoftRounding> rs = List.of(r);
        Reconstruction.lossAndGradient(block, ls, rs, soft, x, target, null, idx, reg, beta, dV);
        double[] analytic = dV[0].clone();
        int agree = 0;
        int nonZero = 0;
        int checked = 0;
        for (int i = 0; i < v.length && checked < 40; i++) {
            if (!r.learnedMask()[i]) {
                continue;
            }
            checked++;
            double eps = 1e-2;
            double keep = v[i];
            v[i] = keep + eps;
            double up = Reconstruction.lossAndGradient(block, ls, rs, soft, x, target, null, idx, reg, beta, dV).loss()
                    + reg * r.regulariser(beta);
            v[i] = keep - eps;
            double down = Reconstruction.lossAndGradient(block, ls, rs, soft, x, target, null, idx, reg, beta, dV).loss()
                    + reg * r.regulariser(beta);
            v[i] = keep;
            double fd = (up - down) / (2 * eps);
            if (Math.abs(fd - analytic[i]) <= 1e-3 * Math.abs(analytic[i]) + 1e-6) {
                agree++;
            }
            nonZero += analytic[i] != 0 ? 1 : 0;
        }
        assertTrue(checked >= 20, "checked " + checked);
        assertTrue(nonZero >= checked - 2, "the loss gradient is zero almost everywhere: the test checks nothing");
        // A ReLU output crossing 0 within ±eps (a kink) breaks the finite difference for that entry only.
        assertTrue(agree >= 0.85 * checked, agree + " of " + checked + " entries agree with finite differences");
        layer.clearEffectiveWeight();
    }

    @Test
    void denseGradientMatchesFiniteDifferences() {
        Dense d = dense(12, 7, Activation.RELU, 11);
        gradientMatchesFiniteDifferences(d, positiveInputs(5, 16, 12), rounding(d, "mquant", Granularity.PER_CHANNEL));
    }

    @Test
    void convGradientMatchesFiniteDifferences() {
        Conv2d c = conv(3, 4, 3, 2, Activation.IDENTITY, 21);
        gradientMatchesFiniteDifferences(c, positiveInputs(6, 4, 3, 7, 7), rounding(c, "tquant", Granularity.PER_TENSOR));
    }

    private static ReconstructionOptions options(int iterations) {
        return options(iterations, 0.01);
    }

    private static ReconstructionOptions options(int iterations, double reg) {
        return new ReconstructionOptions(iterations, 32, 256, reg, 1e-2, ReconstructionOptions.Loss.MSE);
    }

    /*
     * The regulariser's strength is relative to the reconstruction loss, whose scale depends on the layer: on
     * this synthetic layer (24 outputs, |N(0,1)| inputs) the loss is O(1) per row, so reg = 0.01 leaves ~20 %
     * of h(V) undecided after 1000 steps at lr 1e-2; reg = 1 lets the annealing finish within a fast test.
     */
    @ParameterizedTest
    @ValueSource(strings = {"native", "tquant", "mquant"})
    void adaroundBeatsTheOperatorsOwnRoundingAndEndsHard(String op) {
        Dense d = dense(48, 24, Activation.RELU, 31);
        Tensor x = positiveInputs(8, 256, 48);
        Tensor target = Activations.activatedOutput(d, x);
        SoftRounding r = rounding(d, op, Granularity.PER_CHANNEL);
        ReconstructionBlock block = ReconstructionBlock.layer(d);
        d.setEffectiveWeight(r.hardWeight());
        double before = error(block, x, target);
        d.clearEffectiveWeight();
        Reconstruction.run(block, List.of(d), List.of(r), x, target, null, options(1000, 1.0), 42);
        double after = error(block, x, target);
        assertTrue(after < 0.9 * before, op + ": error after AdaRound " + after + " vs data-free " + before);
        assertTrue(r.fractionDecided(1e-3) >= 0.99, op + ": only " + r.fractionDecided(1e-3) + " of h(V) are 0 or 1");
        assertArrayEquals(r.hardWeight(), d.weight().valueFloats());
        assertFalse(d.hasEffectiveWeight());
    }

    @Test
    void sameSeedGivesSameCodes() {
        float[][] codes = new float[2][];
        for (int k = 0; k < 2; k++) {
            Dense d = dense(20, 10, Activation.RELU, 41);
            Tensor x = positiveInputs(9, 128, 20);
            SoftRounding r = rounding(d, "mquant", Granularity.PER_TENSOR);
            Reconstruction.run(ReconstructionBlock.layer(d), List.of(d), List.of(r), x, Activations.activatedOutput(d, x),
                    null, options(60), 5);
            codes[k] = r.codes();
        }
        assertArrayEquals(codes[0], codes[1]);
    }

    @Test
    void nanInTheDataIsANumericalFailureNamingTheLayer() {
        Dense d = dense(8, 4, Activation.IDENTITY, 51);
        Tensor x = positiveInputs(10, 64, 8);
        Tensor target = Activations.activatedOutput(d, x);
        x.data()[5] = Float.NaN;
        SoftRounding r = rounding(d, "native", Granularity.PER_TENSOR);
        NumericalFailureException e = assertThrows(NumericalFailureException.class, () -> Reconstruction.run(
                ReconstructionBlock.layer(d), List.of(d), List.of(r), x, target, null, options(64), 1));
        assertTrue(e.getMessage().contains("layer fc") && e.getMessage().contains("iteration")
                && e.getMessage().contains("lr"), e.getMessage());
        assertFalse(d.hasEffectiveWeight());
    }

    @Test
    void brecqReducesAResidualBlocksOutputError() {
        ResidualBlock raw = ResidualBlock.create("block", 4, 8, 2);
        raw.bind(TestEngines.ENGINE);
        SplittableRandom rnd = new SplittableRandom(61);
        for (WeightLayer l : raw.weightLayers()) {
            int n = (int) l.weight().length();
            long fanIn = l.weight().length() / l.weight().shape()[0];
            l.weight().setValue(gaussian(n, 1 / Math.sqrt(fanIn), rnd.nextLong()));
        }
        for (BatchNorm2d bn : List.of(raw.bn1(), raw.bn2(), raw.shortcutBn())) {
            bn.gamma().setValue(abs(gaussian(8, 0.5, rnd.nextLong()), 0.5f));
            bn.beta().setValue(gaussian(8, 0.2, rnd.nextLong()));
            System.arraycopy(gaussian(8, 0.1, rnd.nextLong()), 0, bn.runningMean(), 0, 8);
            System.arraycopy(abs(gaussian(8, 0.5, rnd.nextLong()), 0.5f), 0, bn.runningVar(), 0, 8);
        }
        ResidualBlock floatBlock = raw.foldBatchNorm();
        ResidualBlock quantBlock = floatBlock.copy();
        Tensor x = positiveInputs(12, 128, 4, 8, 8);
        Tensor target = Activations.stageOutput(floatBlock, x);
        List<WeightLayer> layers = quantBlock.weightLayers();
        List<SoftRounding> rs = new ArrayList<>();
        for (WeightLayer l : layers) {
            rs.add(rounding(l, "tquant", Granularity.PER_CHANNEL));
        }
        for (int j = 0; j < layers.size(); j++) {
            layers.get(j).setEffectiveWeight(rs.get(j).hardWeight());
        }
        ReconstructionBlock block = ReconstructionBlock.stage(quantBlock);
        double before = error(block, x, target);
        for (WeightLayer l : layers) {
            l.clearEffectiveWeight();
        }
        Reconstruction.run(block, layers, rs, x, target, null, options(400), 3);
        double after = error(block, x, target);
        assertTrue(after < 0.9 * before, "block error after BrecQ " + after + " vs data-free " + before);
        assertEquals(3, layers.size());
    }

    private static float[] abs(float[] v, float plus) {
        for (int i = 0; i < v.length; i++) {
            v[i] = Math.abs(v[i]) + plus;
        }
        return v;
    }
}
