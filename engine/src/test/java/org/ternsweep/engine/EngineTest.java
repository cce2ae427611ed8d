package org.ternsweep.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class EngineTest {

    @ParameterizedTest
    @EnumSource(Engine.ConvBackend.class)
    void resultsAreBitwiseTheSameForEveryThreadCount(Engine.ConvBackend backend) {
        Engine.ConvBackend beforeBackend = Engine.convBackend();
        Engine.setConvBackend(backend);
        int before = Engine.threads();
        // at one OpenBLAS thread, which more than one engine thread sets (see the test below)
        Engine.pinBlasToOneThread();
        try {
            float[][] outputs = new float[3][];
            float[][] grads = new float[3][];
            int[] settings = {1, 3, before};
            for (int s = 0; s < settings.length; s++) {
                Engine.setThreads(settings[s]);
                assertEquals(settings[s], Engine.threads());
                SplittableRandom r = new SplittableRandom(11);
                Conv2d conv = new Conv2d("c", 3, 8, 3, 1, 1, true, Activation.RELU);
                GradientCheckTest.randomize(conv, r, 0.5);
                BatchNorm2d bn = new BatchNorm2d("bn", 8);
                Tensor x = GradientCheckTest.random(r, 1.0, 16, 3, 12, 12);
                Tensor y = bn.forward(conv.forward(x, true), true);
                conv.backward(bn.backward(GradientCheckTest.random(r, 1.0, 16, 8, 12, 12)));
                outputs[s] = y.data();
                grads[s] = conv.weight().gradFloats().clone();
            }
            assertArrayEquals(outputs[0], outputs[1]);
            assertArrayEquals(outputs[0], outputs[2]);
            assertArrayEquals(grads[0], grads[1]);
            assertArrayEquals(grads[0], grads[2]);
        } finally {
            Engine.setThreads(before);
            Engine.setConvBackend(beforeBackend);
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.ConvBackend.class)
    void convSplitAcrossThreadsIsBitwiseTheSameForEveryThreadCount(Engine.ConvBackend backend) {
        Engine.ConvBackend beforeBackend = Engine.convBackend();
        Engine.setConvBackend(backend);
        int before = Engine.threads();
        // OpenBLAS may round differently with several threads of its own (it splits a product its own
        // way), so the comparison is at one OpenBLAS thread, which more than one engine thread sets anyway
        Engine.pinBlasToOneThread();
        try {
            int[] settings = {1, 2, 3};
            float[][][] results = new float[settings.length][][];
            for (int s = 0; s < settings.length; s++) {
                Engine.setThreads(settings[s]);
                SplittableRandom r = new SplittableRandom(5);
                // 16·25 columns × 64 positions per image: three chunks of at most 81 images, so two and
                // three threads each run their own chunks (the last one short)
                Conv2d conv = new Conv2d("c", 16, 8, 5, 1, 0, true, Activation.RELU);
                GradientCheckTest.randomize(conv, r, 0.2);
                Tensor x = GradientCheckTest.random(r, 1.0, 200, 16, 12, 12);
                conv.weight().zeroGrad();
                conv.bias().zeroGrad();
                Tensor y = conv.forward(x, true);
                Tensor dx = conv.backward(GradientCheckTest.random(r, 1.0, 200, 8, 8, 8));
                // a second backward accumulates onto the first gradient
                conv.forward(x, true);
                conv.backward(GradientCheckTest.random(r, 1.0, 200, 8, 8, 8), false);
                results[s] = new float[][] {y.data(), dx.data(), conv.weight().gradFloats().clone(),
                        conv.bias().gradFloats().clone()};
            }
            for (int s = 1; s < settings.length; s++) {
                for (int i = 0; i < results[0].length; i++) {
                    assertArrayEquals(results[0][i], results[s][i], "threads " + settings[s] + ", result " + i);
                }
            }
        } finally {
            Engine.setThreads(before);
            Engine.setConvBackend(beforeBackend);
        }
    }

    @Test
    void rejectsFewerThanOneThread() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Engine.setThreads(0));
        assertTrue(e.getMessage().contains("got 0"), e.getMessage());
    }
}
