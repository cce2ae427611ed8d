package org.ternsweep.results.model;

import java.util.Objects;

/**
 * Accuracy and timing of one group (every axis but the seed) over its seeds. Accuracies are fractions
 * in [0, 1]; statistics that need more measurements than there are (std and CI with n &lt; 2, anything
 * with n = 0) are NaN, never zero.
 *
 * @param n            number of OK cells (seeds) measured
 * @param nFailed      number of FAILED cells of the group
 * @param accuracyStd  sample standard deviation (divisor n − 1)
 * @param accuracyCi95 half-width of the 95 % confidence interval of the mean, t(0.975, n − 1)·std/√n
 */
public record SummaryRow(GroupKey group, OperatorKey operator, int n, int nFailed,
                         double accuracyMean, double accuracyStd, double accuracyCi95,
                         double accuracyMin, double accuracyMedian, double accuracyMax,
                         double floatAccuracyMean,
                         double quantizeSecondsMean, double quantizeSecondsStd,
                         double evalSecondsMean, double evalSecondsStd) {

    public SummaryRow {
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(operator, "operator");
        if (n < 0 || nFailed < 0) {
            throw new IllegalArgumentException("cell counts must be >= 0, got n=" + n + ", nFailed=" + nFailed);
        }
    }

    /** Lower end of the 95 % confidence interval of the mean accuracy. */
    public double accuracyCiLow() {
        return accuracyMean - accuracyCi95;
    }

    /** Upper end of the 95 % confidence interval of the mean accuracy. */
    public double accuracyCiHigh() {
        return accuracyMean + accuracyCi95;
    }
}
