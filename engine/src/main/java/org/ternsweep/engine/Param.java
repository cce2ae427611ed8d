package org.ternsweep.engine;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A trainable parameter: its value and the gradient that backward passes accumulate into.
 *
 * <p>Each of the two is held twice, as a float32 C-order {@link INDArray} (the public, ND4J-facing form:
 * {@link #value()}, {@link #grad()}) and as a Java {@code float[]} on the heap (the engine's form:
 * {@link #valueFloats()}, {@link #gradFloats()}). Layers, optimisers and the reconstruction loops work on
 * the float arrays in place, so a training or reconstruction step pays no copy between the heap and
 * ND4J's off-heap buffers and no JNI call; the two forms are synchronised lazily.
 *
 * <p>The contract: whichever form of a quantity was handed out last is its authority. Asking for the
 * INDArray first copies newer float values into it and from then on treats the INDArray as possibly
 * written, so the next request for the float array copies back; asking for the float array likewise
 * marks the INDArray out of date. Both objects keep their identity for the life of the parameter, but
 * a caller must not hold one form across a request for the other (re-ask instead): for example, read
 * {@code value()} again after an optimiser step. Not thread-safe, like the layers that own it.
 *
 * <p>Names are {@code <layer>.W}, {@code <layer>.b}, {@code <bn>.gamma}, {@code <bn>.beta}.
 */
public final class Param {
    private final String name;
    private final Mirror value;
    private final Mirror grad;

    /** A parameter holding a C-order float32 copy of {@code initial} and a zero gradient. */
    public Param(String name, INDArray initial) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("parameter name must not be blank");
        }
        if (initial == null) {
            throw new IllegalArgumentException("parameter " + name + " needs an initial value");
        }
        if (initial.length() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("parameter " + name + " has " + initial.length()
                    + " values, more than a Java array holds; use a smaller layer");
        }
        this.name = name;
        INDArray v = initial.castTo(DataType.FLOAT).dup('c');
        this.value = new Mirror(v, Tensor.readFloats(v));
        this.grad = new Mirror(Nd4j.zeros(DataType.FLOAT, v.shape()), new float[(int) v.length()]);
    }

    /** The parameter's name, e.g. {@code conv1.W}. */
    public String name() {
        return name;
    }

    /** The value as an INDArray (mutable in place; see the class comment for how long it stays current). */
    public INDArray value() {
        return value.array();
    }

    /**
     * The value as the shared C-order float array (mutable in place: optimisers update it there). Any
     * write made through {@link #value()} before this call is visible in it.
     */
    public float[] valueFloats() {
        return value.floats();
    }

    /** The accumulated gradient as an INDArray (mutable in place; see the class comment). */
    public INDArray grad() {
        return grad.array();
    }

    /** The accumulated gradient as the shared C-order float array (mutable in place). */
    public float[] gradFloats() {
        return grad.floats();
    }

    /** The shape (a copy; reading it touches neither form of the value). */
    public long[] shape() {
        return value.array.shape();
    }

    /** Number of scalar values. */
    public long length() {
        return value.floats.length;
    }

    /** Resets the gradient to zero (a fill of the heap array; no ND4J op, no copy). */
    public void zeroGrad() {
        Arrays.fill(grad.floats(), 0f);
    }

    /** Adds {@code g} (C order, same length) to the gradient. */
    void accumulate(float[] g) {
        float[] cur = grad.floats();
        for (int i = 0; i < cur.length; i++) {
            cur[i] += g[i];
        }
    }

    /** A new parameter with a copy of this value and a zero gradient. */
    Param copy() {
        return new Param(name, value());
    }

    @Override
    public String toString() {
        return "Param[" + name + " " + Arrays.toString(value.array.shape()) + "]";
    }

    /**
     * One quantity held as an INDArray and as a heap float array, with a flag saying which one was handed
     * out last (and may have been written since).
     */
    private static final class Mirror {
        private final INDArray array;
        private final float[] floats;
        /** True when the float array is the authority (the INDArray may be out of date). */
        private boolean floatsAhead;
        /** True when the INDArray is the authority (the float array may be out of date). */
        private boolean arrayAhead;

        Mirror(INDArray array, float[] floats) {
            this.array = array;
            this.floats = floats;
        }

        INDArray array() {
            if (floatsAhead) {
                array.data().setData(floats);
                floatsAhead = false;
            }
            arrayAhead = true;
            return array;
        }

        float[] floats() {
            if (arrayAhead) {
                array.data().asNioFloat().get(floats, 0, floats.length);
                arrayAhead = false;
            }
            floatsAhead = true;
            return floats;
        }
    }
}
