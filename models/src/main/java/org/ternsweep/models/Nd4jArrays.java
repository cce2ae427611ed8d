package org.ternsweep.models;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.ternsweep.engine.Param;
import org.ternsweep.engine.Tensor;

/**
 * The one place where ND4J arrays meet the engine's heap tensors and parameters: the engine speaks
 * {@link Tensor}s and float arrays only, and its callers that hold {@link INDArray}s (datasets, operators,
 * the DL4J bridge) convert here. Every conversion copies.
 */
public final class Nd4jArrays {
    private Nd4jArrays() {
    }

    /** The values of {@code x} (any order, any floating type) in C order as a new float array. */
    public static float[] floats(INDArray x) {
        if (x == null) {
            throw new IllegalArgumentException("input array is null");
        }
        if (x.length() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("array of shape " + Arrays.toString(x.shape())
                    + " exceeds 2^31 values; split it into batches");
        }
        INDArray c = x;
        if (c.dataType() != DataType.FLOAT) {
            c = c.castTo(DataType.FLOAT);
        }
        if (c.isView() || c.ordering() != 'c' || c.data().length() != c.length()) {
            c = c.dup('c');
        }
        return c.data().asFloat();
    }

    /** A heap tensor holding a copy of {@code x}; a scalar becomes shape {@code [1]}. */
    public static Tensor tensor(INDArray x) {
        float[] data = floats(x);
        long[] ls = x.shape();
        int[] s = new int[ls.length == 0 ? 1 : ls.length];
        if (ls.length == 0) {
            s[0] = 1;
        }
        for (int i = 0; i < ls.length; i++) {
            s[i] = (int) ls[i];
        }
        return new Tensor(data, s);
    }

    /** A new float32 C-order array holding a copy of {@code t}. */
    public static INDArray array(Tensor t) {
        return array(t.data(), t.shape());
    }

    /** A new float32 C-order array of {@code shape} holding a copy of {@code values}. */
    public static INDArray array(float[] values, int... shape) {
        long[] ls = new long[shape.length];
        for (int i = 0; i < shape.length; i++) {
            ls[i] = shape[i];
        }
        return Nd4j.create(values.clone(), ls, 'c');
    }

    /** A parameter's value as a new float32 array of its shape. */
    public static INDArray value(Param p) {
        return array(p.valueFloats(), p.shape());
    }

    /** A parameter's gradient as a new float32 array of its shape. */
    public static INDArray grad(Param p) {
        return array(p.gradFloats(), p.shape());
    }

    /**
     * Overwrites a parameter's value with {@code values} (cast to float32 as ND4J's {@code assign} would).
     *
     * @throws IllegalArgumentException if the shapes differ
     */
    public static void assign(Param p, INDArray values) {
        long[] want = Arrays.stream(p.shape()).asLongStream().toArray();
        if (values == null || !Arrays.equals(values.shape(), want)) {
            throw new IllegalArgumentException("parameter " + p.name() + " has shape " + Arrays.toString(want)
                    + " but the new value has " + (values == null ? "none" : Arrays.toString(values.shape())));
        }
        p.setValue(floats(values));
    }
}
