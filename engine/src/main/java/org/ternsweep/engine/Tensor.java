package org.ternsweep.engine;

import java.util.Arrays;

/**
 * A dense float32 tensor in C order on the Java heap: the engine's currency.
 *
 * <p>Why plain arrays rather than a native tensor library's arrays: every call into native code costs a
 * JNI transition, which dominates on the small tensors of these networks; plain arrays let the JIT
 * vectorise element-wise loops and let layers hand whole buffers to sgemm. Conversions to other array
 * types live outside the engine, at its callers' edge. The data array is shared, not copied: a tensor
 * returned by a layer must not be modified by the caller unless the caller owns it (layers never modify
 * their inputs).
 */
public final class Tensor {
    private final float[] data;
    private final int[] shape;

    /** Wraps {@code data} (not copied) with the given shape; the sizes must multiply to its length. */
    public Tensor(float[] data, int... shape) {
        if (data == null || shape == null || shape.length == 0) {
            throw new IllegalArgumentException("Tensor needs data and a non-empty shape");
        }
        long n = 1;
        for (int s : shape) {
            if (s < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
            n *= s;
        }
        if (n != data.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " holds " + n
                    + " values but the data array has " + data.length);
        }
        this.data = data;
        this.shape = shape.clone();
    }

    /** A zero-filled tensor of the given shape. */
    public static Tensor zeros(int... shape) {
        long n = 1;
        for (int s : shape) {
            n *= s;
        }
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("tensor of shape " + Arrays.toString(shape)
                    + " exceeds 2^31 values; use a smaller batch");
        }
        return new Tensor(new float[(int) n], shape);
    }

    /** The backing array (shared). */
    public float[] data() {
        return data;
    }

    /** A copy of the shape. */
    public int[] shape() {
        return shape.clone();
    }

    /** Number of dimensions. */
    public int rank() {
        return shape.length;
    }

    /** Size of dimension {@code i}. */
    public int dim(int i) {
        return shape[i];
    }

    /** Number of values. */
    public int size() {
        return data.length;
    }

    /** The same data under another shape with the same number of values. */
    public Tensor reshape(int... newShape) {
        return new Tensor(data, newShape);
    }

    /** A deep copy. */
    public Tensor copy() {
        return new Tensor(data.clone(), shape);
    }

    /** Images {@code [from, to)} of the leading dimension, copied. */
    public Tensor slice(int from, int to) {
        if (from < 0 || to > shape[0] || from > to) {
            throw new IllegalArgumentException("slice [" + from + ", " + to + ") outside leading dimension "
                    + shape[0]);
        }
        int per = shape[0] == 0 ? 0 : data.length / shape[0];
        int[] s = shape.clone();
        s[0] = to - from;
        return new Tensor(Arrays.copyOfRange(data, from * per, to * per), s);
    }

    @Override
    public String toString() {
        return "Tensor" + Arrays.toString(shape);
    }
}
