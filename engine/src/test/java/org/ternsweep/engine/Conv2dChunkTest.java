package org.ternsweep.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A batch that spans several chunks gives the same outputs and gradients as image by image, on both backends. */
class Conv2dChunkTest {

    @ParameterizedTest
    @ValueSource(strings = {DnnlConv.NAME, GemmConv.NAME})
    void multiChunkBatchEqualsPerImage(String backend) {
        try (Engine engine = TestEngines.engine(backend, 2)) {
            multiChunk(engine);
        }
    }

    private static void multiChunk(Engine engine) {
        SplittableRandom r = new SplittableRandom(1);
        Conv2d conv = new Conv2d("c", 16, 8, 5, 1, 0, true, Activation.RELU);
        conv.bind(engine);
        GradientCheckTest.randomize(conv, r, 0.2);
        int n = 200; // 16·25 columns × 64 positions per image: three chunks of at most 81 images
        Tensor x = GradientCheckTest.random(r, 1, n, 16, 12, 12);
        Tensor g = GradientCheckTest.random(r, 1, n, 8, 8, 8);
        conv.weight().zeroGrad();
        conv.bias().zeroGrad();
        float[] y = conv.forward(x, true).data();
        float[] dx = conv.backward(g).data();
        float[] gw = conv.weight().gradFloats().clone();
        float[] gb = conv.bias().gradFloats().clone();
        Conv2d single = conv.copy();
        float[] gwSum = new float[gw.length];
        float[] gbSum = new float[gb.length];
        int per = 16 * 12 * 12;
        int perOut = 8 * 8 * 8;
        for (int i = 0; i < n; i++) {
            single.weight().zeroGrad();
            single.bias().zeroGrad();
            float[] yi = single.forward(x.slice(i, i + 1), true).data();
            assertArrayEquals(java.util.Arrays.copyOfRange(y, i * perOut, (i + 1) * perOut), yi, 1e-5f);
            float[] dxi = single.backward(g.slice(i, i + 1)).data();
            assertArrayEquals(java.util.Arrays.copyOfRange(dx, i * per, (i + 1) * per), dxi, 1e-5f);
            float[] a = single.weight().gradFloats();
            float[] b = single.bias().gradFloats();
            for (int j = 0; j < a.length; j++) {
                gwSum[j] += a[j];
            }
            for (int j = 0; j < b.length; j++) {
                gbSum[j] += b[j];
            }
        }
        assertArrayEquals(gwSum, gw, 2e-3f);
        assertArrayEquals(gbSum, gb, 2e-3f);
    }
}
