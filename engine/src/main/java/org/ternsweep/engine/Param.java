package org.ternsweep.engine;

import java.util.Arrays;

/**
 * A trainable parameter: its value and the gradient that backward passes accumulate into, both float32
 * arrays in C order on the heap, of the parameter's shape. Layers, optimisers and the reconstruction loops
 * read and write the arrays in place ({@link #valueFloats}, {@link #gradFloats}); the arrays keep their
 * identity for the life of the parameter. Not thread-safe, like the layers that own it.
 *
 * <p>Names are {@code <layer>.W}, {@code <layer>.b}, {@code <bn>.gamma}, {@code <bn>.beta}.
 */
public final class Param {
    private final String name;
    private final int[] shape;
    private final float[] value;
    private final float[] grad;

    /** A parameter holding a copy of {@code initial} and a zero gradient. */
    public Param(String name, Tensor initial) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("parameter name must not be blank");
        }
        if (initial == null) {
            throw new IllegalArgumentException("parameter " + name + " needs an initial value");
        }
        this.name = name;
        this.shape = initial.shape();
        this.value = initial.data().clone();
        this.grad = new float[value.length];
    }

    /** The parameter's name, e.g. {@code conv1.W}. */
    public String name() {
        return name;
    }

    /** The value, shared and mutable in place (optimisers update it there). */
    public float[] valueFloats() {
        return value;
    }

    /** The value as a tensor of the parameter's shape sharing {@link #valueFloats()} (not a copy). */
    public Tensor valueTensor() {
        return new Tensor(value, shape);
    }

    /** Overwrites the value with {@code values} (C order, same length), keeping the array's identity. */
    public void setValue(float[] values) {
        if (values == null || values.length != value.length) {
            throw new IllegalArgumentException("parameter " + name + " of shape " + Arrays.toString(shape)
                    + " holds " + value.length + " values, got " + (values == null ? "null" : values.length));
        }
        System.arraycopy(values, 0, value, 0, value.length);
    }

    /** The accumulated gradient, shared and mutable in place. */
    public float[] gradFloats() {
        return grad;
    }

    /** The shape (a copy). */
    public int[] shape() {
        return shape.clone();
    }

    /** Number of scalar values. */
    public long length() {
        return value.length;
    }

    /** Resets the gradient to zero. */
    public void zeroGrad() {
        Arrays.fill(grad, 0f);
    }

    /** Adds {@code g} (C order, same length) to the gradient. */
    void accumulate(float[] g) {
        for (int i = 0; i < grad.length; i++) {
            grad[i] += g[i];
        }
    }

    @Override
    public String toString() {
        return "Param[" + name + " " + Arrays.toString(shape) + "]";
    }
}
