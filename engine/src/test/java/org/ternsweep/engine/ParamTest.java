package org.ternsweep.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ParamTest {

    @Test
    void holdsACopyOfItsInitialValueInArraysThatKeepTheirIdentity() {
        float[] initial = {1, 2, 3, 4, 5, 6};
        Param p = new Param("l.W", new Tensor(initial, 2, 3));
        initial[0] = 99f;
        float[] v = p.valueFloats();
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, v, "the parameter copied its initial value");
        p.setValue(new float[] {6, 5, 4, 3, 2, 1});
        assertSame(v, p.valueFloats(), "setValue writes into the same array");
        assertEquals(6f, v[0]);
        assertArrayEquals(new int[] {2, 3}, p.shape());
        assertSame(v, p.valueTensor().data(), "the value tensor shares the array");
        assertArrayEquals(new int[] {2, 3}, p.valueTensor().shape());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> p.setValue(new float[5]));
        assertTrue(e.getMessage().contains("l.W") && e.getMessage().contains("got 5"), e.getMessage());
    }

    @Test
    void gradientAccumulatesAndZeroGradClearsIt() {
        Param p = new Param("l.b", Tensor.zeros(3));
        p.accumulate(new float[] {1, 2, 3});
        p.accumulate(new float[] {1, 1, 1});
        assertArrayEquals(new float[] {2, 3, 4}, p.gradFloats());
        float[] g = p.gradFloats();
        p.zeroGrad();
        assertSame(g, p.gradFloats());
        assertArrayEquals(new float[3], p.gradFloats());
    }

    @Test
    void optimiserStepsUpdateTheValueInPlace() {
        Param p = new Param("l.W", new Tensor(new float[] {1, -1}, 2));
        float[] v = p.valueFloats();
        p.gradFloats()[0] = 1f;
        p.gradFloats()[1] = -1f;
        new Sgd(List.of(p), 0.5, 0.0).step();
        assertArrayEquals(new float[] {0.5f, -0.5f}, v);
    }

    @Test
    void skippingTheInputGradientLeavesParameterGradientsUnchanged() {
        SplittableRandom r = new SplittableRandom(3);
        Conv2d conv = TestEngines.bound(new Conv2d("c", 2, 3, 3, 1, 1, true, Activation.IDENTITY));
        GradientCheckTest.randomize(conv, r, 0.5);
        Dense dense = new Dense("d", 5, 4, true, Activation.IDENTITY);
        GradientCheckTest.randomize(dense, r, 0.5);
        Tensor x = GradientCheckTest.random(r, 1.0, 2, 2, 5, 5);
        Tensor g = GradientCheckTest.random(r, 1.0, 2, 3, 5, 5);
        Tensor xd = GradientCheckTest.random(r, 1.0, 3, 5);
        Tensor gd = GradientCheckTest.random(r, 1.0, 3, 4);
        for (WeightLayer l : List.of(conv, dense)) {
            Tensor in = l == conv ? x : xd;
            Tensor go = l == conv ? g : gd;
            l.forward(in, true);
            l.weight().zeroGrad();
            l.bias().zeroGrad();
            l.backward(go, true);
            float[] full = l.weight().gradFloats().clone();
            float[] fullB = l.bias().gradFloats().clone();
            l.weight().zeroGrad();
            l.bias().zeroGrad();
            assertNull(l.backward(go, false));
            assertArrayEquals(full, l.weight().gradFloats(), l.name());
            assertArrayEquals(fullB, l.bias().gradFloats(), l.name());
        }
    }
}
