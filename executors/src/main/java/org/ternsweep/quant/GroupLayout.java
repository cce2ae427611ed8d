package org.ternsweep.quant;

import java.util.Arrays;

/**
 * Which weights of a tensor share one (λ, t): the tensor's shape and the axis whose indices name the
 * groups, or {@code axis = -1} for a single group (per-tensor). Elements are addressed by their flat
 * index in C (row-major) order, whatever the memory order of the ND4J array they came from.
 *
 * @param shape the weight tensor's shape (copied; every dimension ≥ 1)
 * @param axis  the output-channel axis for per-channel groups, or -1 for one group
 */
public record GroupLayout(long[] shape, int axis) {

    public GroupLayout {
        if (shape == null || shape.length == 0) {
            throw new IllegalArgumentException("a weight tensor needs a shape with at least one dimension, got "
                    + Arrays.toString(shape));
        }
        shape = shape.clone();
        long n = 1;
        for (long d : shape) {
            if (d < 1) {
                throw new IllegalArgumentException("weight shape " + Arrays.toString(shape)
                        + " has an empty dimension; quantize only non-empty weight tensors");
            }
            n = Math.multiplyExact(n, d);
        }
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("weight shape " + Arrays.toString(shape) + " has " + n
                    + " elements, more than one Java array can hold");
        }
        if (axis < -1 || axis >= shape.length) {
            throw new IllegalArgumentException("output axis " + axis + " is outside weight shape "
                    + Arrays.toString(shape) + ": use 0.." + (shape.length - 1) + ", or -1 for per-tensor");
        }
    }

    /**
     * The layout for a granularity.
     *
     * @param outputAxis the output-channel axis (0 for conv [out,in,kh,kw], 1 for dense [nIn,nOut]);
     *                   ignored for {@link Granularity#PER_TENSOR}
     */
    public static GroupLayout of(long[] shape, Granularity granularity, int outputAxis) {
        if (granularity == Granularity.PER_TENSOR) {
            return new GroupLayout(shape, -1);
        }
        if (shape == null || outputAxis < 0 || outputAxis >= shape.length) {
            throw new IllegalArgumentException("per-channel output axis " + outputAxis + " is outside weight shape "
                    + Arrays.toString(shape) + ": conv weights [out,in,kh,kw] use 0, dense weights [nIn,nOut] use 1");
        }
        return new GroupLayout(shape, outputAxis);
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** Number of weights in the tensor. */
    public int length() {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return (int) n;
    }

    /** Number of groups: 1 per-tensor, else the size of the output axis. */
    public int groups() {
        return axis < 0 ? 1 : (int) shape[axis];
    }

    /** Weights per group (all groups have the same size). */
    public int groupSize() {
        return length() / groups();
    }

    /**
     * Product of the dimensions after the group axis: the length of each run of consecutive C-order elements
     * that share a group (the whole tensor per-tensor). Run {@code r} (elements {@code r·runLength()} onwards)
     * belongs to group {@code r % groups()}.
     */
    int runLength() {
        return axis < 0 ? length() : inner();
    }

    /**
     * Copies group {@code g} of C-order {@code values} into {@code dest[0, groupSize())} in C order, as
     * {@link #split} would, without allocating (hot loops reuse one scratch array for every group).
     */
    void copyGroup(double[] values, int g, double[] dest) {
        if (axis < 0) {
            System.arraycopy(values, 0, dest, 0, values.length);
            return;
        }
        int inner = inner();
        int stride = inner * groups();
        int fill = 0;
        if (inner == 1) {
            // dense [nIn, nOut] per output column: one value per row, where arraycopy's call would dominate
            for (int i = g; i < values.length; i += stride) {
                dest[fill++] = values[i];
            }
            return;
        }
        for (int start = g * inner; start < values.length; start += stride) {
            System.arraycopy(values, start, dest, fill, inner);
            fill += inner;
        }
    }

    /** Product of the dimensions after the group axis: the run length of one group in C order. */
    private int inner() {
        long inner = 1;
        for (int d = axis + 1; d < shape.length; d++) {
            inner *= shape[d];
        }
        return (int) inner;
    }

    /** The group of the element at C-order flat index {@code i}. */
    public int groupOf(int i) {
        return axis < 0 ? 0 : (i / inner()) % groups();
    }

    /**
     * A per-element table of groups, for loops over a whole tensor (computing {@link #groupOf} per element
     * would redo the same division every time).
     */
    public int[] groupIndex() {
        int n = length();
        int[] g = new int[n];
        if (axis < 0) {
            return g;
        }
        int inner = inner();
        int groups = groups();
        for (int i = 0; i < n; i++) {
            g[i] = (i / inner) % groups;
        }
        return g;
    }

    /**
     * Splits C-order values into one array per group, each in C order.
     *
     * @throws IllegalArgumentException if the number of values is not this layout's length
     */
    public double[][] split(double[] values) {
        requireLength(values.length);
        int groups = groups();
        double[][] out = new double[groups][groupSize()];
        if (axis < 0) {
            System.arraycopy(values, 0, out[0], 0, values.length);
            return out;
        }
        int inner = inner();
        int[] fill = new int[groups];
        for (int start = 0; start < values.length; start += inner) {
            int g = (start / inner) % groups;
            System.arraycopy(values, start, out[g], fill[g], inner);
            fill[g] += inner;
        }
        return out;
    }

    void requireLength(int n) {
        if (n != length()) {
            throw new IllegalArgumentException("a tensor with " + n + " weights does not match the fitted layout "
                    + this + "; fit the operator on this tensor first");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GroupLayout other && axis == other.axis && Arrays.equals(shape, other.shape);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(shape) + axis;
    }

    @Override
    public String toString() {
        return "GroupLayout[shape=" + Arrays.toString(shape) + ", " + (axis < 0 ? "per-tensor" : "per-channel axis " + axis) + "]";
    }
}
