package org.ternsweep.quant;

/**
 * The operators whose threshold and level are fixed fractions of M = max |w| of the group: native and tquant
 * (spec §2). Both are the grid quantizer {@code λ·clip(round(w/λ), -1, 1)}, i.e. t = λ/2; they differ in λ.
 */
abstract class MaxScaledOperator implements TernaryOperator {
    private final int thresholdNumerator;
    private final int thresholdDenominator;
    private final int levelNumerator;
    private final int levelDenominator;

    /**
     * t = M · thresholdNumerator / thresholdDenominator and λ = M · levelNumerator / levelDenominator, computed
     * in that order so that e.g. t = M/3 is the correctly rounded quotient (multiplying by a rounded 1/3 could
     * land just below a weight that equals M/3 and turn its code from 0 to 1).
     */
    MaxScaledOperator(int thresholdNumerator, int thresholdDenominator, int levelNumerator, int levelDenominator) {
        this.thresholdNumerator = thresholdNumerator;
        this.thresholdDenominator = thresholdDenominator;
        this.levelNumerator = levelNumerator;
        this.levelDenominator = levelDenominator;
    }

    @Override
    public final TernaryFit fit(double[] values, GroupLayout layout) {
        WeightArrays.requireFinite(values, layout);
        double[] m = WeightArrays.maxAbs(layout.split(values));
        double[] lambda = new double[m.length];
        double[] threshold = new double[m.length];
        for (int g = 0; g < m.length; g++) {
            lambda[g] = m[g] * levelNumerator / levelDenominator;
            threshold[g] = m[g] * thresholdNumerator / thresholdDenominator;
        }
        return TernaryFit.symmetric(layout, lambda, threshold);
    }

    @Override
    public String toString() {
        return name();
    }
}
