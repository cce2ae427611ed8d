package org.ternsweep.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.ternsweep.engine.Evaluator;
import org.ternsweep.engine.Network;
import org.ternsweep.engine.Tensor;

class EvaluatorTest {

    @Test
    void flatArrayPrefixGivesTheSameResultAsTheSlicedTensor() {
        SplittableRandom r = new SplittableRandom(2);
        int n = 30;
        Tensor images = uniform(r, n, 1, 28, 28);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = r.nextInt(10);
        }
        Network net = ModelZoo.build(ModelZoo.CNN_SMALL, 4).bind(TestEngines.ENGINE);
        Evaluator.Evaluation first20 = Evaluator.evaluate(net, images.slice(0, 20), Arrays.copyOf(labels, 20), 7);
        Evaluator.Evaluation flat = Evaluator.evaluate(net, images.data(), new int[] {1, 28, 28},
                Arrays.copyOf(labels, 20), 7);
        assertEquals(20, flat.count());
        assertEquals(first20.accuracy(), flat.accuracy());
        assertEquals(first20.crossEntropy(), flat.crossEntropy());
    }

    @Test
    void rejectsMoreLabelsThanImages() {
        float[] images = new float[3 * 784];
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Evaluator.evaluate(
                ModelZoo.build(ModelZoo.CNN_SMALL, 0), images, new int[] {1, 28, 28}, new int[4], 2));
        assertTrue(e.getMessage().contains("4 labels"), e.getMessage());
    }

    private static Tensor uniform(SplittableRandom r, int... shape) {
        Tensor t = Tensor.zeros(shape);
        float[] d = t.data();
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) (r.nextDouble() * 2 - 1);
        }
        return t;
    }
}
