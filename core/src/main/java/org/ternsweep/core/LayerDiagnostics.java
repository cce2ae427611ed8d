package org.ternsweep.core;

import java.io.Serializable;

/**
 * Per quantized layer facts (spec §6). For int8 or float layers the code fractions are NaN.
 *
 * @param layer       the layer's name in network order, e.g. "conv1", "block2.conv1", "fc2"
 * @param scheme      "ternary", "int8" or "fp"
 * @param lambda      ternary level λ (mean over groups)
 * @param threshold   ternary threshold t (mean over groups)
 * @param relMse      weight MSE divided by the weight variance
 * @param sqnrDb      10·log10(‖W‖² / ‖W − Q(W)‖²)
 * @param outputMeanShift the quantized network's drift at this layer's output on the calibration images: the mean
 *                        over channels of |μ_q − μ_f| / σ_f (NaN when not measured)
 * @param outputStdRatio  the mean over channels of σ_q / σ_f there (NaN when not measured)
 */
public record LayerDiagnostics(String layer, String scheme, long weights, double lambda, double threshold,
                               double fracNeg, double fracZero, double fracPos, double relMse, double sqnrDb,
                               double outputMeanShift, double outputStdRatio)
        implements Serializable {

    /** The weight diagnostics alone; the output drift is measured later ({@link #withDrift}). */
    public LayerDiagnostics(String layer, String scheme, long weights, double lambda, double threshold,
                            double fracNeg, double fracZero, double fracPos, double relMse, double sqnrDb) {
        this(layer, scheme, weights, lambda, threshold, fracNeg, fracZero, fracPos, relMse, sqnrDb, Double.NaN,
                Double.NaN);
    }

    /** These diagnostics with the output drift measured on the calibration images. */
    public LayerDiagnostics withDrift(double meanShift, double stdRatio) {
        return new LayerDiagnostics(layer, scheme, weights, lambda, threshold, fracNeg, fracZero, fracPos, relMse,
                sqnrDb, meanShift, stdRatio);
    }
}
