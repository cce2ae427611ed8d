package org.ternsweep.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MaxPool2dTest {

    @Test
    void picksTheFirstMaximumOfEachWindowAndRoutesItsGradient() {
        SplittableRandom r = new SplittableRandom(5);
        int n = 3;
        int c = 2;
        int h = 6;
        int w = 8;
        float[] x = new float[n * c * h * w];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextInt(4) - 1.5f; // few distinct values: many ties, negatives too
        }
        MaxPool2d pool = TestEngines.bound(new MaxPool2d("pool"));
        Tensor y = pool.forward(new Tensor(x, n, c, h, w), false);
        float[] expected = new float[n * c * (h / 2) * (w / 2)];
        int[] firstArg = new int[expected.length];
        int o = 0;
        for (int plane = 0; plane < n * c; plane++) {
            for (int rr = 0; rr < h / 2; rr++) {
                for (int q = 0; q < w / 2; q++) {
                    int[] idx = {plane * h * w + 2 * rr * w + 2 * q, plane * h * w + 2 * rr * w + 2 * q + 1,
                        plane * h * w + (2 * rr + 1) * w + 2 * q, plane * h * w + (2 * rr + 1) * w + 2 * q + 1};
                    int best = idx[0];
                    for (int i : idx) {
                        if (x[i] > x[best]) {
                            best = i;
                        }
                    }
                    expected[o] = x[best];
                    firstArg[o] = best;
                    o++;
                }
            }
        }
        assertArrayEquals(expected, y.data());
        float[] g = new float[expected.length];
        java.util.Arrays.fill(g, 1f);
        float[] dx = pool.backward(new Tensor(g, y.shape())).data();
        float[] dxExpected = new float[x.length];
        for (int i : firstArg) {
            dxExpected[i] = 1f;
        }
        assertArrayEquals(dxExpected, dx);
        assertEquals(expected.length, (int) java.util.Arrays.stream(firstArg).distinct().count());
    }
}
