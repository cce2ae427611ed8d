package org.ternsweep.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * oneDNN primitives created on one thread and run on another, as the engine's fork-join pool does: an engine
 * task index is not tied to a worker thread from one call to the next.
 */
class DnnlThreadsTest {

    @Test
    void primitivesCreatedOnOneThreadRunOnAnother() throws Exception {
        // a grouped conv with two outputs per group: each of its three primitives needs a scratchpad (1–3 KB
        // here), which oneDNN's library mode keeps per creating thread; this ran into a null one and crashed
        DnnlPrimitives.Geometry g = new DnnlPrimitives.Geometry(8, 16, 3, 2, 1, 9, 9, 3, true, 8);
        SplittableRandom r = new SplittableRandom(7);
        float[] x = random(r, 3 * 8 * 81);
        float[] w = random(r, 16 * 9);
        float[] b = random(r, 16);
        float[] gy = random(r, 3 * 16 * 25);
        float[][] here = run(new DnnlPrimitives(g, new TestEngines.Nd4jOmp()), x, w, b, gy);
        DnnlPrimitives created = new DnnlPrimitives(g, new TestEngines.Nd4jOmp());
        AtomicReference<Object> there = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                there.set(run(created, x, w, b, gy));
            } catch (Throwable e) {
                there.set(e);
            }
        });
        t.start();
        t.join();
        if (there.get() instanceof Throwable e) {
            throw new AssertionError(e);
        }
        float[][] other = (float[][]) there.get();
        for (int i = 0; i < here.length; i++) {
            assertArrayEquals(here[i], other[i]);
        }
    }

    private static float[][] run(DnnlPrimitives p, float[] x, float[] w, float[] b, float[] gy) {
        float[] y = new float[gy.length];
        float[] dw = new float[w.length];
        float[] dx = new float[x.length];
        p.forward(x, 0, w, b, y, 0, 1);
        p.backward(x, 0, gy, 0, w, dw, 0, dx, 0, 1);
        return new float[][] {y, dw, dx};
    }

    private static float[] random(SplittableRandom r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (r.nextDouble() * 2 - 1);
        }
        return v;
    }
}
