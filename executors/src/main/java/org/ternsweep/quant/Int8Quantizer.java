package org.ternsweep.quant;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Symmetric per-channel 8-bit round-to-nearest, for the first and last layers under {@code first_last: int8}
 * (spec §3), as BRECQ does (Li et al., ICLR 2021): per output channel, scale s = max |w| / 127 and
 * {@code q = s · clip(round(w / s), -127, 127)}. Ties round to even ({@link Math#rint}). An all-zero channel
 * has s = 0 and stays zero. The error of every weight is at most s/2.
 */
public final class Int8Quantizer {
    /** The largest code: symmetric 8-bit uses -127..127 (not -128) so that zero is exact and the grid symmetric. */
    public static final int MAX_CODE = 127;

    private Int8Quantizer() {
    }

    /**
     * The scale s of each output channel.
     *
     * @param outputAxis 0 for conv [out,in,kh,kw], 1 for dense [nIn,nOut]
     * @throws IllegalArgumentException for an empty, non-float or non-finite tensor, or an axis outside it
     */
    public static double[] scales(INDArray w, int outputAxis) {
        GroupLayout layout = GroupLayout.of(w == null ? null : w.shape(), Granularity.PER_CHANNEL, outputAxis);
        return scales(layout, WeightArrays.values(w));
    }

    private static double[] scales(GroupLayout layout, double[] values) {
        double[] m = WeightArrays.maxAbs(layout.split(values));
        for (int g = 0; g < m.length; g++) {
            m[g] /= MAX_CODE;
        }
        return m;
    }

    /**
     * Quantizes {@code w}; the result has the shape, data type and memory order of {@code w}.
     *
     * @param outputAxis 0 for conv [out,in,kh,kw], 1 for dense [nIn,nOut]
     * @throws IllegalArgumentException for an empty, non-float or non-finite tensor, or an axis outside it
     */
    public static INDArray quantize(INDArray w, int outputAxis) {
        GroupLayout layout = GroupLayout.of(w == null ? null : w.shape(), Granularity.PER_CHANNEL, outputAxis);
        return WeightArrays.like(quantize(WeightArrays.values(w), layout), w);
    }

    /**
     * Quantizes weights already copied out of their tensor (QAT does so every step): the values
     * {@link #quantize(INDArray, int)} gives on the tensor they came from.
     *
     * @param v      the weights in C order; not modified
     * @param layout the tensor's per-channel layout ({@link GroupLayout#of} with {@link Granularity#PER_CHANNEL})
     * @throws IllegalArgumentException if the layout is per-tensor, the number of values does not match it
     *                                  or a value is not finite
     */
    public static double[] quantize(double[] v, GroupLayout layout) {
        if (layout.axis() < 0) {
            throw new IllegalArgumentException("int8 quantization is per output channel, got the per-tensor "
                    + layout + ": build the layout with Granularity.PER_CHANNEL");
        }
        WeightArrays.requireFinite(v, layout);
        double[] s = scales(layout, v);
        int[] group = layout.groupIndex();
        double[] q = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            double scale = s[group[i]];
            if (scale > 0) {
                double code = Math.max(-MAX_CODE, Math.min(MAX_CODE, Math.rint(v[i] / scale)));
                // code 0 stores +0.0, never -0.0 (rint(-0.4) is -0.0), so that zero weights compare and print as 0
                q[i] = code == 0 ? 0.0 : code * scale;
            }
        }
        return q;
    }
}
