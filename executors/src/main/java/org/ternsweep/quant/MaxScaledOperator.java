package org.ternsweep.quant;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The operators whose threshold and level are fixed fractions of M = max |w| of the group: native and tquant
 * (spec §2). Both are the grid quantizer {@code λ·clip(round(w/λ), -1, 1)}, i.e. t = λ/2; they differ in λ.
 */
abstract class MaxScaledOperator implements TernaryOperator {
    private final double thresholdFactor;
    private final double levelFactor;

    /**
     * @param thresholdFactor t = M · thresholdFactor
     * @param levelFactor     λ = M · levelFactor
     */
    MaxScaledOperator(double thresholdFactor, double levelFactor) {
        this.thresholdFactor = thresholdFactor;
        this.levelFactor = levelFactor;
    }

    @Override
    public final TernaryFit fit(INDArray w, Granularity granularity, int outputAxis) {
        GroupLayout layout = GroupLayout.of(w == null ? null : w.shape(), granularity, outputAxis);
        double[] m = WeightArrays.maxAbs(layout.split(WeightArrays.values(w)));
        double[] lambda = new double[m.length];
        double[] threshold = new double[m.length];
        for (int g = 0; g < m.length; g++) {
            lambda[g] = m[g] * levelFactor;
            threshold[g] = m[g] * thresholdFactor;
        }
        return TernaryFit.symmetric(layout, lambda, threshold);
    }

    @Override
    public String toString() {
        return name();
    }
}
