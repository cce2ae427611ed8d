package org.ternsweep.engine;

import java.util.List;

/**
 * Rectified linear unit, element-wise; backward passes the gradient where the output was positive.
 * The backward mask is computed without a branch (see {@link #maskedCopy}): ReLU outputs are zero about
 * half the time at random, and a branch there mispredicts constantly.
 */
public final class ReLU extends Layer {
    private float[] lastOutput;
    private int[] lastShape;

    public ReLU(String name) {
        super(name);
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        return apply(x, new float[x.size()]);
    }

    /**
     * The same forward, written over {@code x}'s own data: for callers that own {@code x} (a fresh output
     * of the layer before, referenced by nothing else), which saves allocating and zeroing a second array
     * of the same size. The result shares {@code x}'s data.
     */
    Tensor forwardInPlace(Tensor x) {
        return apply(x, x.data());
    }

    private Tensor apply(Tensor x, float[] y) {
        float[] xv = x.data();
        int n = x.dim(0);
        int per = n == 0 ? 0 : xv.length / n;
        engine().forEach(n, per, i -> {
            for (int q = i * per; q < (i + 1) * per; q++) {
                y[q] = Math.max(xv[q], 0f);
            }
        });
        lastOutput = y;
        lastShape = x.shape();
        return new Tensor(y, lastShape);
    }

    @Override
    public Tensor backward(Tensor gradOut) {
        if (lastOutput == null) {
            throw noForward(name());
        }
        if (gradOut.size() != lastOutput.length) {
            throw new IllegalArgumentException("relu " + name() + " backward got " + gradOut
                    + " after a forward of " + java.util.Arrays.toString(lastShape));
        }
        float[] g = gradOut.data();
        float[] y = lastOutput;
        float[] dx = new float[g.length];
        int n = lastShape[0];
        int per = n == 0 ? 0 : g.length / n;
        engine().forEach(n, per, i -> maskedCopy(g, y, dx, i * per, (i + 1) * per));
        return new Tensor(dx, lastShape);
    }

    /**
     * {@code dx = y > 0 ? g : 0} for outputs y ≥ 0, as {@code g · min(1, y·10³⁸·10³⁸)}: the factor is exactly
     * 1 for every positive float (the smallest subnormal, 1.4e-45, becomes 1.4e31 before the min) and 0 for
     * y = +0, and it is branch-free and made of operations C2 vectorises (min, multiply), where a sign-bit
     * mask is not vectorised. Where g &lt; 0 and y = 0 the result is −0 instead of +0, equal as a number; a
     * NaN output passes NaN on, which the NaN checks downstream report.
     */
    static void maskedCopy(float[] g, float[] y, float[] dx, int from, int to) {
        for (int q = from; q < to; q++) {
            dx[q] = g[q] * Math.min(1f, (y[q] * 1e38f) * 1e38f);
        }
    }

    @Override
    public List<Param> params() {
        return List.of();
    }

    @Override
    public ReLU copy() {
        ReLU r = new ReLU(name());
        r.bindLike(this);
        return r;
    }
}
