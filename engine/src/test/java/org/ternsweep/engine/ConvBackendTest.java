package org.ternsweep.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The oneDNN convolution backend against the engine's own im2col + sgemm backend (itself checked against
 * stock DL4J and finite differences elsewhere), on every conv geometry of the zoo and the awkward ones:
 * one input channel, strides, 1×1 shortcuts, 5×5 valid convs with bias, a batch that leaves a short last
 * chunk, and grouped and depthwise convolutions (which oneDNN takes whole and the gemm backend runs group by
 * group, so the two share no code).
 */
class ConvBackendTest {

    @Test
    void oneDnnLoadsOnThisPlatform() {
        // the fast path must not silently fall back on the machines we ship for (linux-x86_64)
        assertTrue(DnnlConv.available(), () -> "oneDNN did not load: " + DnnlConv.unavailableReason());
        assertEquals(DnnlConv.NAME, ConvBackends.named(ConvBackends.DEFAULT, new TestEngines.Nd4jOmp()).name());
        assertEquals(GemmConv.NAME, ConvBackends.named("gemm", new TestEngines.Nd4jOmp()).name());
    }

    @Test
    void anUnknownBackendNamesTheValueAndTheAllowedOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ConvBackends.named("fast", new TestEngines.Nd4jOmp()));
        assertTrue(e.getMessage().contains("'fast'"), e.getMessage());
        assertTrue(e.getMessage().contains("allowed: dnnl, gemm"), e.getMessage());
        assertEquals(GemmConv.NAME, ConvBackends.check(" GEMM "));
    }

    @ParameterizedTest(name = "{0}→{1} k{2} s{3} p{4} {5}×{5} bias {6}, {7} images, {8} threads, {9} groups")
    @CsvSource({
            "1, 16, 3, 1, 1, 28, false, 19, 2, 1", // resnet-8 stem
            "16, 16, 3, 1, 1, 28, false, 17, 2, 1", // resnet-8 block1
            "16, 32, 3, 2, 1, 28, false, 9, 2, 1", // block2 conv1, stride 2
            "16, 32, 1, 2, 0, 28, false, 9, 1, 1", // block2 1×1 shortcut
            "32, 64, 3, 2, 1, 14, false, 5, 3, 1",
            "64, 64, 3, 1, 1, 7, false, 21, 2, 1",
            "1, 16, 5, 1, 0, 28, true, 11, 2, 1", // cnn-small conv1
            "16, 32, 5, 1, 0, 12, true, 11, 1, 1", // cnn-small conv2
            "3, 5, 3, 1, 1, 9, true, 3, 2, 1", // channels no multiple of 8 or 16
            // grouped: oneDNN's grouped primitives against the gemm backend's group-by-group loop
            "32, 32, 3, 2, 1, 14, false, 19, 2, 32", // depthwise, stride 2 (MobileNet's first dw)
            "128, 128, 3, 1, 1, 7, false, 9, 1, 128", // depthwise, stride 1
            "24, 24, 3, 1, 1, 9, true, 5, 2, 24", // depthwise with bias, channels no multiple of 16
            "8, 16, 3, 2, 1, 9, true, 3, 2, 8", // depthwise with channel multiplier 2
            "16, 32, 3, 1, 1, 8, false, 11, 2, 4", // general groups
            "6, 9, 5, 1, 0, 9, true, 4, 1, 3", // odd group sizes, valid 5×5
    })
    void backendsAgree(int in, int out, int k, int stride, int pad, int size, boolean bias, int n, int threads,
                       int groups) {
        try (Engine gemmEngine = TestEngines.engine(GemmConv.NAME, threads);
             Engine dnnlEngine = TestEngines.engine(DnnlConv.NAME, threads)) {
            float[][] gemm = run(gemmEngine, in, out, k, stride, pad, size, bias, n, groups);
            float[][] dnnl = run(dnnlEngine, in, out, k, stride, pad, size, bias, n, groups);
            String[] what = {"output", "input gradient", "weight gradient", "bias gradient"};
            for (int i = 0; i < gemm.length; i++) {
                assertClose(gemm[i], dnnl[i], what[i]);
            }
        }
    }

    @Test
    void weightsChangedInPlaceBetweenCallsAreUsed() {
        // the oneDNN path copies the weights once per layer call, not per chunk: an optimizer step that
        // writes the same array must still reach the next forward and backward
        SplittableRandom r = new SplittableRandom(3);
        Conv2d conv = TestEngines.bound(new Conv2d("c", 16, 16, 3, 1, 1, false, Activation.IDENTITY));
        GradientCheckTest.randomize(conv, r, 0.3);
        Tensor x = GradientCheckTest.random(r, 1.0, 20, 16, 10, 10);
        Tensor g = GradientCheckTest.random(r, 1.0, 20, 16, 10, 10);
        conv.forward(x, false); // inference: forward after forward, no backward in between
        float[] w = conv.weight().valueFloats();
        for (int i = 0; i < w.length; i++) {
            w[i] = -2 * w[i];
        }
        conv.weight().zeroGrad();
        float[] y = conv.forward(x, true).data();
        float[] dx = conv.backward(g).data();
        Conv2d fresh = conv.copy();
        float[] yFresh = fresh.forward(x, true).data();
        float[] dxFresh = fresh.backward(g).data();
        assertClose(yFresh, y, "output after the weights changed");
        assertClose(dxFresh, dx, "input gradient after the weights changed");
    }

    /** Forward, backward, then a second backward that accumulates onto the parameter gradients. */
    private static float[][] run(Engine engine, int in, int out, int k, int stride, int pad, int size, boolean bias,
                                 int n, int groups) {
        SplittableRandom r = new SplittableRandom(in * 1000 + out * 10 + k);
        Conv2d conv = new Conv2d("c", Tensor.zeros(out, in / groups, k, k), bias ? new float[out] : null, stride, pad,
                groups, Activation.IDENTITY);
        conv.bind(engine);
        GradientCheckTest.randomize(conv, r, 0.3);
        Tensor x = GradientCheckTest.random(r, 1.0, n, in, size, size);
        Tensor y = conv.forward(x, true);
        Tensor g = GradientCheckTest.random(r, 1.0, y.shape());
        conv.weight().zeroGrad();
        if (bias) {
            conv.bias().zeroGrad();
        }
        Tensor dx = conv.backward(g);
        conv.backward(g, false);
        return new float[][] {y.data(), dx.data(), conv.weight().gradFloats().clone(),
                bias ? conv.bias().gradFloats().clone() : new float[0]};
    }

    /** Relative to the largest magnitude of the reference: sums of up to 10⁵ products in another order. */
    private static void assertClose(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what + " length");
        double scale = 1e-30;
        for (float e : expected) {
            scale = Math.max(scale, Math.abs(e));
        }
        for (int i = 0; i < expected.length; i++) {
            double err = Math.abs(expected[i] - actual[i]) / scale;
            if (err > 1e-5) {
                throw new AssertionError(what + "[" + i + "]: gemm " + expected[i] + " dnnl " + actual[i]
                        + " (relative to max " + scale + ": " + err + ")");
            }
        }
    }
}
