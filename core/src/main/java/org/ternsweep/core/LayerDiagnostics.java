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
 */
public record LayerDiagnostics(String layer, String scheme, long weights, double lambda, double threshold,
                               double fracNeg, double fracZero, double fracPos, double relMse, double sqnrDb)
        implements Serializable {
}
