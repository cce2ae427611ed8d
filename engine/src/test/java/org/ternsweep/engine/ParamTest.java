package org.ternsweep.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ParamTest {

    @Test
    void floatWritesReachTheArrayAndArrayWritesReachTheFloats() {
        Param p = new Param("l.W", Nd4j.create(new float[] {1, 2, 3, 4, 5, 6}, new long[] {2, 3}, 'c'));
        float[] f = p.valueFloats();
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, f);
        f[0] = 10f;
        INDArray v = p.value();
        assertEquals(10f, v.getFloat(0, 0));
        v.putScalar(1, 2, 60f);
        float[] again = p.valueFloats();
        assertSame(f, again, "the heap array keeps its identity");
        assertEquals(60f, again[5]);
        assertSame(v, p.value(), "the INDArray keeps its identity");
        assertArrayEquals(new long[] {2, 3}, p.shape());
    }

    @Test
    void gradientAccumulatesOnTheHeapAndZeroGradClearsBothForms() {
        Param p = new Param("l.b", Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.FLOAT, 3));
        p.accumulate(new float[] {1, 2, 3});
        p.accumulate(new float[] {1, 1, 1});
        assertArrayEquals(new float[] {2, 3, 4}, Tensor.readFloats(p.grad()));
        p.grad().putScalar(0, 7f);
        assertEquals(7f, p.gradFloats()[0]);
        p.zeroGrad();
        assertArrayEquals(new float[3], Tensor.readFloats(p.grad()));
    }

    @Test
    void optimiserStepIsVisibleThroughTheIndArray() {
        Param p = new Param("l.W", Nd4j.create(new float[] {1, -1}, new long[] {2}, 'c'));
        INDArray before = p.value().dup();
        p.gradFloats()[0] = 1f;
        p.gradFloats()[1] = -1f;
        new Sgd(List.of(p), 0.5, 0.0).step();
        assertArrayEquals(new float[] {0.5f, -0.5f}, Tensor.readFloats(p.value()));
        assertEquals(1f, before.getFloat(0));
    }

    @Test
    void skippingTheInputGradientLeavesParameterGradientsUnchanged() {
        SplittableRandom r = new SplittableRandom(3);
        Conv2d conv = new Conv2d("c", 2, 3, 3, 1, 1, true, Activation.IDENTITY);
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
