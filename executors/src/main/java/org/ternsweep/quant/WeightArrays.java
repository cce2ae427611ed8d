package org.ternsweep.quant;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Moves weights between ND4J arrays and Java arrays in C order, once per tensor: the quantizers loop over
 * plain doubles instead of making one native call per element, and their results do not depend on the
 * array's memory order (DL4J's dense weights are 'f'-ordered views into the parameter vector).
 */
final class WeightArrays {
    private WeightArrays() {
    }

    /**
     * The weights as doubles in C order.
     *
     * @throws IllegalArgumentException if the array is missing, empty, not floating point or not finite
     */
    static double[] values(INDArray w) {
        if (w == null) {
            throw new IllegalArgumentException("no weight array given: pass the layer's weight tensor");
        }
        if (w.isEmpty() || w.length() == 0) {
            throw new IllegalArgumentException("weight array of shape " + Arrays.toString(w.shape())
                    + " is empty: quantize only non-empty weight tensors");
        }
        if (!w.dataType().isFPType()) {
            throw new IllegalArgumentException("weights must be floating point, got " + w.dataType()
                    + " for shape " + Arrays.toString(w.shape()) + ": cast the array with castTo(DataType.FLOAT)");
        }
        double[] v = w.dup('c').data().asDouble();
        for (int i = 0; i < v.length; i++) {
            if (!Double.isFinite(v[i])) {
                throw new IllegalArgumentException("weight " + i + " (C order) of the tensor of shape "
                        + Arrays.toString(w.shape()) + " is " + v[i]
                        + ": the float model is broken (diverged training?); retrain or reload it");
            }
        }
        return v;
    }

    /**
     * Checks weights handed over as a Java array ({@link TernaryOperator#fit(double[], GroupLayout)}): one
     * value per element of the layout, all finite.
     *
     * @throws IllegalArgumentException naming the first offending value
     */
    static void requireFinite(double[] values, GroupLayout layout) {
        if (values == null) {
            throw new IllegalArgumentException("no weight values given: pass the layer's weights in C order");
        }
        layout.requireLength(values.length);
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                throw new IllegalArgumentException("weight " + i + " (C order) of the tensor of " + layout + " is "
                        + values[i] + ": the float model is broken (diverged training?); retrain or reload it");
            }
        }
    }

    /** A new array holding C-order {@code values}, with the shape, data type and memory order of {@code like}. */
    static INDArray like(double[] values, INDArray like) {
        INDArray out = Nd4j.create(values, like.shape(), like.dataType());
        return like.ordering() == 'f' ? out.dup('f') : out;
    }

    /** Checks that a tensor matches the layout a fit was made for. */
    static void requireLayout(INDArray w, GroupLayout layout) {
        if (!Arrays.equals(w.shape(), layout.shape())) {
            throw new IllegalArgumentException("weight shape " + Arrays.toString(w.shape())
                    + " does not match the fit's " + layout + "; fit the operator on this tensor first");
        }
    }

    /** M = max |w| per group. */
    static double[] maxAbs(double[][] groups) {
        double[] m = new double[groups.length];
        for (int g = 0; g < groups.length; g++) {
            double max = 0;
            for (double x : groups[g]) {
                max = Math.max(max, Math.abs(x));
            }
            m[g] = max;
        }
        return m;
    }
}
