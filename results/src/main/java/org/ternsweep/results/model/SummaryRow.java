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
 * @param spread       the bootstrap interval, the variance components and the collapse and seed counts
 */
public record SummaryRow(GroupKey group, OperatorKey operator, int n, int nFailed,
                         double accuracyMean, double accuracyStd, double accuracyCi95,
                         double accuracyMin, double accuracyMedian, double accuracyMax,
                         double floatAccuracyMean,
                         double quantizeSecondsMean, double quantizeSecondsStd,
                         double evalSecondsMean, double evalSecondsStd, Spread spread) {

    /**
     * Where a group's spread comes from and how it is bounded (docs/statistics.md).
     *
     * @param bcaLow             lower end of the BCa 95 % bootstrap interval of the mean (stratified by model seed)
     * @param bcaHigh            upper end of that interval
     * @param nModelSeeds        model seeds among the group's cells
     * @param varBetween         between-model-seed variance component (clipped at 0); NaN unless at least two model
     *                           seeds and a model seed with two seeds
     * @param varWithin          within-model-seed (calibration/cell seed) variance component; NaN likewise
     * @param varBetweenFraction varBetween / (varBetween + varWithin); NaN likewise or when both are 0
     * @param nCollapsed         OK cells whose accuracy is within two points of chance ({@link CellRow#collapsed})
     * @param seedsRun           the cell seeds the group ran, e.g. "0-7" (over all its model seeds)
     * @param seedsStatus        adaptive seeds only: "met", "at_max", or "running" when the rounds were cut short;
     *                           null for a fixed seed axis
     */
    public record Spread(double bcaLow, double bcaHigh, int nModelSeeds, double varBetween, double varWithin,
                         double varBetweenFraction, int nCollapsed, String seedsRun, String seedsStatus) {
        public Spread {
            Objects.requireNonNull(seedsRun, "seedsRun");
        }
    }

    public SummaryRow {
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(operator, "operator");
        Objects.requireNonNull(spread, "spread");
        if (n < 0 || nFailed < 0) {
            throw new IllegalArgumentException("cell counts must be >= 0, got n=" + n + ", nFailed=" + nFailed);
        }
    }

    /** A copy whose {@link Spread#seedsStatus} is {@code status}. */
    public SummaryRow withSeedsStatus(String status) {
        Spread s = new Spread(spread.bcaLow(), spread.bcaHigh(), spread.nModelSeeds(), spread.varBetween(),
                spread.varWithin(), spread.varBetweenFraction(), spread.nCollapsed(), spread.seedsRun(), status);
        return new SummaryRow(group, operator, n, nFailed, accuracyMean, accuracyStd, accuracyCi95, accuracyMin,
                accuracyMedian, accuracyMax, floatAccuracyMean, quantizeSecondsMean, quantizeSecondsStd,
                evalSecondsMean, evalSecondsStd, s);
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
