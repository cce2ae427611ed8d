package org.ternsweep.results.model;

import java.util.Objects;

/**
 * One paired comparison of two operators within a group: accuracy of {@code operator} minus accuracy of
 * {@code baseline}, paired by seed (common random numbers, spec §5), with tests, Holm-adjusted p-values
 * and seed advice.
 *
 * <p>Undefined quantities are NaN (or a null {@code seedsNeeded}) and {@code note} says why, e.g. a
 * single pair, or differences that are all equal.
 *
 * @param nPairs            seeds measured (OK) for both operators
 * @param nUnpaired         OK cells of either operator left out because the other has no OK cell at that seed
 * @param meanDiff          mean of the paired differences (fraction of accuracy)
 * @param diffStd           sample standard deviation of the differences: the seed noise of this comparison
 * @param ciLow             lower end of the 95 % Student-t confidence interval of the mean difference
 * @param ciHigh            upper end of that interval
 * @param tPValue           two-sided paired t-test p-value
 * @param wilcoxonPValue    two-sided Wilcoxon signed-rank p-value (zero differences dropped)
 * @param wilcoxonExact     true when {@code wilcoxonPValue} is exact (enumerated), false for the normal approximation
 * @param tPValueHolm       {@code tPValue} Holm-adjusted across the comparisons of the same {@link Kind}
 * @param wilcoxonPValueHolm {@code wilcoxonPValue} Holm-adjusted the same way
 * @param standardError     diffStd / √nPairs
 * @param seedsNeeded       seeds a two-sided paired t-test needs to detect {@code meanDiff} with power 0.8
 *                          at α = 0.05 given {@code diffStd}; null where undefined
 * @param belowSeedNoise    |meanDiff| &lt; diffStd: one seed's difference varies more than the effect itself
 * @param note              why a value is undefined, or ""
 * @param effect            the bootstrap interval, effect sizes and almost stochastic order
 */
public record ComparisonRow(Kind kind, GroupKey group, OperatorKey operator, OperatorKey baseline,
                            int nPairs, int nUnpaired, double meanDiff, double diffStd, double ciLow,
                            double ciHigh, double tPValue, double wilcoxonPValue, boolean wilcoxonExact,
                            double tPValueHolm, double wilcoxonPValueHolm, double standardError,
                            Integer seedsNeeded, boolean belowSeedNoise, String note, Effect effect) {

    /**
     * How large and how consistent the difference is (docs/statistics.md); NaN where undefined.
     *
     * @param bcaLow           lower end of the BCa 95 % bootstrap interval of the mean paired difference (pairs
     *                         stratified by model seed)
     * @param bcaHigh          upper end of that interval
     * @param cohensDz         mean / sd of the paired differences
     * @param pImprovement     P(operator > baseline) over the paired seeds, ties counting half
     * @param asoEpsilon       ε_W2: the share of the squared Wasserstein distance where the operator is worse
     * @param asoEpsilonMin    ε_min, the upper 95 % bound on ε_W2; below 0.5: operator almost stochastically larger
     * @param halfWidthMet     adaptive seeds only: whether the difference's 95 % half-width met the target (null
     *                         for a fixed seed axis)
     */
    public record Effect(double bcaLow, double bcaHigh, double cohensDz, double pImprovement, double asoEpsilon,
                         double asoEpsilonMin, Boolean halfWidthMet) {
    }

    /** Which family a comparison belongs to; Holm adjusts within a family. */
    public enum Kind {
        /** An operator against the reference operator (default native). */
        VS_REFERENCE,
        /** Two non-reference operators against each other (e.g. mquant vs tquant). */
        BETWEEN_OPERATORS
    }

    public ComparisonRow {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(operator, "operator");
        Objects.requireNonNull(baseline, "baseline");
        if (operator.equals(baseline)) {
            throw new IllegalArgumentException("a comparison needs two different operators, got " + operator + " twice");
        }
        if (nPairs < 0 || nUnpaired < 0) {
            throw new IllegalArgumentException("pair counts must be >= 0, got nPairs=" + nPairs + ", nUnpaired=" + nUnpaired);
        }
        if (seedsNeeded != null && seedsNeeded < 2) {
            throw new IllegalArgumentException("seedsNeeded must be >= 2 (a paired t-test needs two pairs), got " + seedsNeeded);
        }
        note = note == null ? "" : note;
        Objects.requireNonNull(effect, "effect");
    }

    /** A copy with the Holm-adjusted p-values filled in. */
    public ComparisonRow withHolm(double tHolm, double wilcoxonHolm) {
        return new ComparisonRow(kind, group, operator, baseline, nPairs, nUnpaired, meanDiff, diffStd, ciLow,
                ciHigh, tPValue, wilcoxonPValue, wilcoxonExact, tHolm, wilcoxonHolm, standardError, seedsNeeded,
                belowSeedNoise, note, effect);
    }

    /** A copy whose {@link Effect#halfWidthMet} is {@code met}. */
    public ComparisonRow withHalfWidthMet(Boolean met) {
        Effect e = new Effect(effect.bcaLow(), effect.bcaHigh(), effect.cohensDz(), effect.pImprovement(),
                effect.asoEpsilon(), effect.asoEpsilonMin(), met);
        return new ComparisonRow(kind, group, operator, baseline, nPairs, nUnpaired, meanDiff, diffStd, ciLow,
                ciHigh, tPValue, wilcoxonPValue, wilcoxonExact, tPValueHolm, wilcoxonPValueHolm, standardError,
                seedsNeeded, belowSeedNoise, note, e);
    }
}
