package org.ternsweep.nn;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A trainable parameter: its value and the gradient that backward passes accumulate into.
 *
 * <p>Both arrays are float32, C order, and keep their identity for the life of the parameter:
 * optimisers and quantization methods update them in place, layers re-read them on every forward.
 * Names are {@code <layer>.W}, {@code <layer>.b}, {@code <bn>.gamma}, {@code <bn>.beta}.
 */
public final class Param {
    private final String name;
    private final INDArray value;
    private final INDArray grad;

    /** A parameter holding a C-order float32 copy of {@code initial} and a zero gradient. */
    public Param(String name, INDArray initial) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("parameter name must not be blank");
        }
        if (initial == null) {
            throw new IllegalArgumentException("parameter " + name + " needs an initial value");
        }
        this.name = name;
        this.value = initial.castTo(DataType.FLOAT).dup('c');
        this.grad = Nd4j.zeros(DataType.FLOAT, value.shape());
    }

    /** The parameter's name, e.g. {@code conv1.W}. */
    public String name() {
        return name;
    }

    /** The value (mutable in place). */
    public INDArray value() {
        return value;
    }

    /** The accumulated gradient (mutable in place). */
    public INDArray grad() {
        return grad;
    }

    /** Number of scalar values. */
    public long length() {
        return value.length();
    }

    /** Resets the gradient to zero. */
    public void zeroGrad() {
        // a memcpy, not an ND4J op: ND4J's OpenMP workers would spin and steal the cores from OpenBLAS
        Tensor.writeFloats(grad, new float[(int) grad.length()]);
    }

    /** Adds {@code g} (C order, same length) to the gradient. */
    void accumulate(float[] g) {
        float[] cur = Tensor.readFloats(grad);
        for (int i = 0; i < cur.length; i++) {
            cur[i] += g[i];
        }
        Tensor.writeFloats(grad, cur);
    }

    /** A new parameter with a copy of this value and a zero gradient. */
    Param copy() {
        return new Param(name, value);
    }

    @Override
    public String toString() {
        return "Param[" + name + " " + java.util.Arrays.toString(value.shape()) + "]";
    }
}
