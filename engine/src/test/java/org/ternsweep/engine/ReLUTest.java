package org.ternsweep.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** ReLU's branch-free backward mask on the edge cases of its outputs: zero, subnormals, huge, infinite. */
class ReLUTest {

    @Test
    void backwardPassesTheGradientExactlyWherePositiveAndZeroElsewhere() {
        float[] x = {-1f, -0f, 0f, Float.MIN_VALUE, 1e-40f, Float.MIN_NORMAL, 0.5f, 1f, 3e38f,
                Float.POSITIVE_INFINITY, -Float.MIN_VALUE, -3e38f};
        float[] g = {2f, -3f, 4f, -5.5f, 6.25f, -7f, 1e-30f, -1e30f, 8f, -9f, 10f, 11f};
        ReLU relu = TestEngines.bound(new ReLU("r"));
        float[] y = relu.forward(new Tensor(x, 1, x.length), true).data();
        float[] dx = relu.backward(new Tensor(g, 1, g.length)).data();
        for (int i = 0; i < x.length; i++) {
            assertEquals(Math.max(x[i], 0f), y[i], 0f, "forward at x = " + x[i]);
            float expected = x[i] > 0 ? g[i] : 0f;
            // −0 and +0 are the same gradient; every other value must be bitwise the incoming one
            assertEquals(expected, dx[i] == 0f ? 0f : dx[i], 0f, "backward at x = " + x[i] + ", g = " + g[i]);
        }
    }
}
