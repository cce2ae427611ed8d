package org.ternsweep.engine;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A dense float32 tensor in C order on the Java heap: the engine's internal currency.
 *
 * <p>Why not {@link INDArray} everywhere: every INDArray op is a JNI call, which dominates on the
 * small tensors of these networks; plain arrays let the JIT vectorise element-wise loops and let
 * layers hand whole buffers to sgemm. {@link #of(INDArray)} and {@link #toINDArray()} copy at the
 * API boundary. The data array is shared, not copied: a tensor returned by a layer must not be
 * modified by the caller unless the caller owns it (layers never modify their inputs).
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

    /** Copies an INDArray (any order, any floating type) into a new heap tensor. */
    public static Tensor of(INDArray x) {
        if (x == null) {
            throw new IllegalArgumentException("input array is null");
        }
        if (x.length() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("array of shape " + Arrays.toString(x.shape())
                    + " exceeds 2^31 values; split it into batches");
        }
        long[] ls = x.shape();
        int[] s = new int[ls.length == 0 ? 1 : ls.length];
        if (ls.length == 0) {
            s[0] = 1;
        }
        for (int i = 0; i < ls.length; i++) {
            s[i] = (int) ls[i];
        }
        return new Tensor(readFloats(x), s);
    }

    /** The values of {@code x} in C order as a new float array. */
    public static float[] readFloats(INDArray x) {
        INDArray c = x;
        if (c.dataType() != DataType.FLOAT) {
            c = c.castTo(DataType.FLOAT);
        }
        if (c.isView() || c.ordering() != 'c' || c.data().length() != c.length()) {
            c = c.dup('c');
        }
        return c.data().asFloat();
    }

    /** Overwrites the values of {@code target} (C order) with {@code src}, keeping its identity. */
    public static void writeFloats(INDArray target, float[] src) {
        if (target.length() != src.length) {
            throw new IllegalArgumentException("cannot write " + src.length + " values into an array of shape "
                    + Arrays.toString(target.shape()));
        }
        if (!target.isView() && target.ordering() == 'c' && target.dataType() == DataType.FLOAT
                && target.data().length() == src.length) {
            target.data().setData(src);
        } else {
            target.assign(Nd4j.create(src, target.shape(), 'c'));
        }
    }

    /** Copies this tensor into a new float32 INDArray in C order. */
    public INDArray toINDArray() {
        long[] ls = new long[shape.length];
        for (int i = 0; i < shape.length; i++) {
            ls[i] = shape[i];
        }
        return Nd4j.create(data.clone(), ls, 'c');
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
