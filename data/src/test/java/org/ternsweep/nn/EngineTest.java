package org.ternsweep.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class EngineTest {

    @Test
    void resultsAreBitwiseTheSameForEveryThreadCount() {
        int before = Engine.threads();
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
        }
    }

    @Test
    void rejectsFewerThanOneThread() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Engine.setThreads(0));
        assertTrue(e.getMessage().contains("got 0"), e.getMessage());
    }
}
