package org.ternsweep.quant;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A ternary quantization operator (spec §2): fits a level λ and a threshold t per group of weights, then maps
 * each weight onto {-λ, 0, +λ} with {@code c(w) = sign(w) if |w| > t else 0}. Operators differ only in how
 * they fit (Yvinec et al., ICIP 2023, arXiv 2306.17442); applying a fit is shared, so that a method which
 * changes codes (AdaRound, BRECQ) keeps the operator's λ.
 *
 * <p>Implementations are immutable and thread-safe. Create them with {@link org.ternsweep.runner.Registry#operator}.
 */
public interface TernaryOperator {

    /** The catalog name: native, tquant, mquant, twn or optimal. */
    String name();

    /**
     * Fits λ and t on each group of {@code w}.
     *
     * @param w           weights, any floating data type and memory order; not modified
     * @param granularity one group for the tensor, or one per output channel
     * @param outputAxis  the output-channel axis (0 for conv [out,in,kh,kw], 1 for dense [nIn,nOut]); unused
     *                    per-tensor
     * @throws IllegalArgumentException for an empty, non-float or non-finite tensor, or an axis outside it
     */
    default TernaryFit fit(INDArray w, Granularity granularity, int outputAxis) {
        GroupLayout layout = GroupLayout.of(w == null ? null : w.shape(), granularity, outputAxis);
        return fit(WeightArrays.values(w), layout);
    }

    /**
     * Fits λ and t on each group of weights already copied out of their tensor, for loops that refit the same
     * layer many times (QAT refits every step, spec §4.4) and keep the weights as Java arrays: the result is
     * the one {@link #fit(INDArray, Granularity, int)} gives on the tensor they came from.
     *
     * @param values the weights in C order, as doubles (exact for float weights); not modified
     * @param layout the tensor's shape and groups, e.g. {@link GroupLayout#of}
     * @throws IllegalArgumentException if the number of values does not match the layout or one is not finite
     */
    TernaryFit fit(double[] values, GroupLayout layout);

    /** Codes in {-1, 0, +1} of {@code w} under {@code fit}; same shape, data type and order as {@code w}. */
    default INDArray codes(INDArray w, TernaryFit fit) {
        WeightArrays.requireLayout(w, fit.layout());
        return WeightArrays.like(fit.codes(WeightArrays.values(w)), w);
    }

    /** Quantized weights λ·c of {@code w} under {@code fit}; same shape, data type and order as {@code w}. */
    default INDArray quantize(INDArray w, TernaryFit fit) {
        WeightArrays.requireLayout(w, fit.layout());
        return WeightArrays.like(fit.quantize(WeightArrays.values(w)), w);
    }

    /** Fits on {@code w} and quantizes it in one step. */
    default INDArray quantize(INDArray w, Granularity granularity, int outputAxis) {
        return quantize(w, fit(w, granularity, outputAxis));
    }
}
