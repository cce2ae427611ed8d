package org.ternsweep.results.model;

import java.util.Objects;

/**
 * Per-layer diagnostics of one cell, as reported by the executors (spec §6). Code fractions are NaN
 * for layers that are not ternary (int8 or float).
 *
 * @param layer     layer name in network order, e.g. "conv1", "fc2"
 * @param scheme    "ternary", "int8" or "fp"
 * @param lambda    ternary level λ (mean over groups)
 * @param threshold ternary threshold t (mean over groups)
 * @param relMse    weight MSE divided by the weight variance
 * @param sqnrDb    10·log10(‖W‖² / ‖W − Q(W)‖²)
 * @param outputMeanShift mean over channels of |μ_q − μ_f| / σ_f of the layer's output on the calibration images
 *                        (NaN in cells stored before it was measured)
 * @param outputStdRatio  mean over channels of σ_q / σ_f there (NaN likewise)
 */
public record LayerRow(String layer, String scheme, double lambda, double threshold, double fracNeg,
                       double fracZero, double fracPos, double relMse, double sqnrDb, double outputMeanShift,
                       double outputStdRatio) {

    /** A row without the output drift. */
    public LayerRow(String layer, String scheme, double lambda, double threshold, double fracNeg, double fracZero,
                    double fracPos, double relMse, double sqnrDb) {
        this(layer, scheme, lambda, threshold, fracNeg, fracZero, fracPos, relMse, sqnrDb, Double.NaN, Double.NaN);
    }

    public LayerRow {
        Objects.requireNonNull(layer, "layer");
        Objects.requireNonNull(scheme, "scheme");
        if (layer.isBlank()) {
            throw new IllegalArgumentException("layer name is blank; every layer row must name its layer");
        }
    }
}
