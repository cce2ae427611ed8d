package org.ternsweep.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Finite-difference gradient checks (central differences on a random linear functional of the output)
 * for every layer type and the residual block, in training and inference mode.
 */
class GradientCheckTest {

    static Tensor random(SplittableRandom r, double scale, int... shape) {
        Tensor t = Tensor.zeros(shape);
        float[] d = t.data();
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) ((r.nextDouble() * 2 - 1) * scale);
        }
        return t;
    }

    static void randomize(Layer l, SplittableRandom r, double scale) {
        for (Param p : l.params()) {
            float[] v = p.valueFloats();
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) ((r.nextDouble() * 2 - 1) * scale);
            }
            if (p.name().endsWith(".gamma")) {
                for (int i = 0; i < v.length; i++) {
                    v[i] += 1f;
                }
            }
        }
    }

    /** The values of {@code t} plus {@code shift} (a new array). */
    static float[] shifted(Tensor t, float shift) {
        float[] v = t.data().clone();
        for (int i = 0; i < v.length; i++) {
            v[i] += shift;
        }
        return v;
    }

    private static double objective(Layer l, Tensor x, Tensor r, boolean training) {
        float[] y = l.forward(x, training).data();
        float[] rv = r.data();
        double s = 0;
        for (int i = 0; i < y.length; i++) {
            s += (double) y[i] * rv[i];
        }
        return s;
    }

    /** Checks dL/dx and dL/dθ of {@code l} at {@code x}; returns the number of compared coordinates. */
    static int check(Layer l, Tensor x, boolean training, double eps, long seed) {
        l.bind(TestEngines.STANDARD);
        SplittableRandom r = new SplittableRandom(seed);
        Tensor y = l.forward(x, training);
        Tensor proj = random(r, 1.0, y.shape());
        for (Param p : l.params()) {
            p.zeroGrad();
        }
        l.forward(x, training);
        float[] dx = l.backward(proj).data().clone();
        List<float[]> grads = new ArrayList<>();
        for (Param p : l.params()) {
            grads.add(p.gradFloats().clone());
        }
        int compared = 0;
        int skipped = 0;
        int samples = Math.min(40, x.size());
        for (int s = 0; s < samples; s++) {
            int i = r.nextInt(x.size());
            float[] xd = x.data();
            float orig = xd[i];
            double f0 = objective(l, x, proj, training);
            xd[i] = (float) (orig + eps);
            double fp = objective(l, x, proj, training);
            xd[i] = (float) (orig - eps);
            double fm = objective(l, x, proj, training);
            xd[i] = orig;
            int res = compare(fp, f0, fm, eps, dx[i], "dx[" + i + "] of " + l.name());
            compared += res > 0 ? 1 : 0;
            skipped += res < 0 ? 1 : 0;
        }
        for (int pi = 0; pi < l.params().size(); pi++) {
            Param p = l.params().get(pi);
            float[] v = p.valueFloats();
            for (int s = 0; s < Math.min(30, v.length); s++) {
                int i = r.nextInt(v.length);
                float orig = v[i];
                double f0 = objective(l, x, proj, training);
                v[i] = (float) (orig + eps);
                double fp = objective(l, x, proj, training);
                v[i] = (float) (orig - eps);
                double fm = objective(l, x, proj, training);
                v[i] = orig;
                int res = compare(fp, f0, fm, eps, grads.get(pi)[i], p.name() + "[" + i + "]");
                compared += res > 0 ? 1 : 0;
                skipped += res < 0 ? 1 : 0;
            }
        }
        assertTrue(skipped <= compared / 5, "too many kinks skipped in " + l.name() + ": " + skipped + " of "
                + (compared + skipped));
        return compared;
    }

    /** 1 if compared, -1 if skipped because the function has a kink within eps. */
    private static int compare(double fp, double f0, double fm, double eps, double analytic, String what) {
        double right = (fp - f0) / eps;
        double left = (f0 - fm) / eps;
        double scale = Math.max(Math.abs(right), Math.abs(left));
        if (Math.abs(right - left) > 0.05 * scale + 2e-2) {
            return -1;
        }
        double numeric = (fp - fm) / (2 * eps);
        double tol = 2e-2 * Math.max(Math.abs(numeric), Math.abs(analytic)) + 2e-3;
        assertEquals(numeric, analytic, tol, what);
        return 1;
    }

    private static void checkBothModes(Supplier<Layer> make, Tensor x, double eps) {
        for (boolean training : new boolean[] {false, true}) {
            Layer l = make.get();
            assertTrue(check(l, x, training, eps, 7) > 20, "too few comparisons for " + l.name());
        }
    }

    @Test
    void conv2dStride1Pad1WithBias() {
        SplittableRandom r = new SplittableRandom(1);
        checkBothModes(() -> {
            Conv2d c = new Conv2d("c", 3, 4, 3, 1, 1, true, Activation.IDENTITY);
            randomize(c, new SplittableRandom(2), 0.5);
            return c;
        }, random(r, 1, 2, 3, 6, 5), 1e-2);
    }

    @Test
    void conv2dValid5x5() {
        SplittableRandom r = new SplittableRandom(3);
        Conv2d c = new Conv2d("c", 2, 3, 5, 1, 0, true, Activation.RELU);
        randomize(c, r, 0.3);
        assertTrue(check(c, random(r, 1, 2, 2, 8, 8), true, 1e-2, 4) > 20);
    }

    @Test
    void conv2dStride2Pad1AndShortcut1x1() {
        SplittableRandom r = new SplittableRandom(5);
        Conv2d c = new Conv2d("c", 3, 4, 3, 2, 1, false, Activation.RELU);
        randomize(c, r, 0.5);
        assertTrue(check(c, random(r, 1, 2, 3, 7, 7), true, 1e-2, 6) > 20);
        Conv2d s = new Conv2d("s", 3, 5, 1, 2, 0, false, Activation.IDENTITY);
        randomize(s, r, 0.5);
        assertTrue(check(s, random(r, 1, 2, 3, 6, 6), true, 1e-2, 8) > 20);
    }

    @Test
    void groupedAndDepthwiseConv() {
        SplittableRandom r = new SplittableRandom(22);
        Conv2d grouped = new Conv2d("g", random(r, 0.5, 6, 2, 3, 3), random(r, 0.5, 6).data(), 1, 1, 2,
                Activation.IDENTITY);
        assertTrue(check(grouped, random(r, 1, 2, 4, 5, 5), true, 1e-2, 23) > 20);
        Conv2d depthwise = new Conv2d("dw", random(r, 0.5, 4, 1, 3, 3), null, 2, 1, 4, Activation.IDENTITY);
        assertTrue(check(depthwise, random(r, 1, 2, 4, 7, 7), true, 1e-2, 24) > 20);
    }

    @Test
    void averagePoolingAndClip() {
        SplittableRandom r = new SplittableRandom(25);
        Tensor x = random(r, 1, 2, 3, 7, 6);
        assertTrue(check(new AvgPool2d("avg", 3, 2, 2, 1, 1, 0), x, true, 1e-2, 26) > 20);
        assertTrue(check(new AvgPool2d("avg7", 7, 6, 7, 6, 0, 0), x, true, 1e-2, 27) > 0);
        assertTrue(check(new Clip("clip", -0.4f, 0.5f), x, true, 1e-3, 28) > 20);
        assertTrue(check(Clip.relu6("relu6"), random(r, 8, 2, 3, 4, 4), true, 1e-3, 29) > 20);
        assertTrue(check(new ChannelAffine("affine", new float[] {2f, -0.5f, 3f}, new float[] {0.1f, 0f, -1f}),
                x, true, 1e-2, 30) > 20);
    }

    @Test
    void dense() {
        SplittableRandom r = new SplittableRandom(9);
        Dense d = new Dense("d", 7, 5, true, Activation.IDENTITY);
        randomize(d, r, 0.5);
        assertTrue(check(d, random(r, 1, 4, 7), true, 1e-2, 10) > 20);
    }

    @Test
    void batchNormTrainingAndInference() {
        SplittableRandom r = new SplittableRandom(11);
        Tensor x = random(r, 2, 3, 4, 3, 3);
        BatchNorm2d train = new BatchNorm2d("bn", 4);
        randomize(train, r, 0.5);
        assertTrue(check(train, x, true, 1e-2, 12) > 20);
        BatchNorm2d infer = new BatchNorm2d("bn", shifted(random(r, 0.5, 4), 1f), random(r, 0.5, 4).data(),
                random(r, 0.5, 4).data(), shifted(random(r, 0.5, 4), 1f));
        assertTrue(check(infer, x, false, 1e-2, 13) > 20);
    }

    @Test
    void reluPoolingFlatten() {
        SplittableRandom r = new SplittableRandom(14);
        Tensor x = random(r, 1, 2, 3, 6, 6);
        assertTrue(check(new ReLU("relu"), x, true, 1e-3, 15) > 20);
        assertTrue(check(new MaxPool2d("pool"), x, true, 1e-3, 16) > 20);
        assertTrue(check(new GlobalAvgPool("gap"), x, true, 1e-2, 17) > 20);
        assertTrue(check(new Flatten("flat"), x, true, 1e-2, 18) > 20);
    }

    @Test
    void residualBlockWithAndWithoutShortcut() {
        SplittableRandom r = new SplittableRandom(19);
        for (boolean training : new boolean[] {true, false}) {
            ResidualBlock id = ResidualBlock.create("b1", 3, 3, 1);
            randomize(id, r, 0.4);
            assertTrue(check(id, random(r, 1, 2, 3, 5, 5), training, 2e-3, 20) > 20);
            ResidualBlock down = ResidualBlock.create("b2", 3, 4, 2);
            randomize(down, r, 0.4);
            assertTrue(check(down, random(r, 1, 2, 3, 6, 6), training, 2e-3, 21) > 20);
        }
    }
}
