package org.ternsweep.engine;

import java.util.Arrays;
import java.util.List;

/**
 * Element-wise clamp to {@code [min, max]} (ONNX's Clip; ReLU6 is {@code [0, 6]}, either bound may be
 * infinite). Backward passes the gradient where the input lay strictly inside the bounds and stops it where
 * the clamp was active, as PyTorch's {@code hardtanh} (ReLU6's backward) does.
 */
public final class Clip extends Layer {
    private final float min;
    private final float max;
    private float[] lastOutput;
    private int[] lastShape;

    /** @throws IllegalArgumentException if a bound is NaN or {@code min > max} */
    public Clip(String name, float min, float max) {
        super(name);
        if (Float.isNaN(min) || Float.isNaN(max) || min > max) {
            throw new IllegalArgumentException("clip " + name + " needs min <= max, got min " + min + " max " + max);
        }
        this.min = min;
        this.max = max;
    }

    /** ReLU6: clamp to {@code [0, 6]}. */
    public static Clip relu6(String name) {
        return new Clip(name, 0f, 6f);
    }

    /** The lower bound. */
    public float min() {
        return min;
    }

    /** The upper bound. */
    public float max() {
        return max;
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        return apply(x, new float[x.size()]);
    }

    /**
     * The same forward, written over {@code x}'s own data, as {@link ReLU#forwardInPlace}: for callers that own
     * {@code x} (a fresh output of the layer before, referenced by nothing else). Possible because backward
     * reads only the output. The result shares {@code x}'s data.
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
                y[q] = Math.min(Math.max(xv[q], min), max);
            }
        });
        lastOutput = y;
        lastShape = x.shape();
        return new Tensor(y, lastShape);
    }

    /**
     * Passes the gradient where the clamp was inactive. That is read from the output: {@code min < y < max}
     * exactly where {@code min < x < max}, since y = x there and y is a bound elsewhere (and a NaN fails both).
     */
    @Override
    public Tensor backward(Tensor gradOut) {
        if (lastOutput == null) {
            throw noForward(name());
        }
        if (gradOut.size() != lastOutput.length) {
            throw new IllegalArgumentException("clip " + name() + " backward got " + gradOut
                    + " after a forward of " + Arrays.toString(lastShape));
        }
        float[] g = gradOut.data();
        float[] y = lastOutput;
        float[] dx = new float[g.length];
        int n = lastShape[0];
        int per = n == 0 ? 0 : g.length / n;
        engine().forEach(n, per, i -> {
            for (int q = i * per; q < (i + 1) * per; q++) {
                dx[q] = y[q] > min && y[q] < max ? g[q] : 0f;
            }
        });
        return new Tensor(dx, lastShape);
    }

    @Override
    public List<Param> params() {
        return List.of();
    }

    @Override
    public Clip copy() {
        Clip c = new Clip(name(), min, max);
        c.bindLike(this);
        return c;
    }
}
