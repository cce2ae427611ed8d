package org.ternsweep.results.stats;

import java.util.OptionalInt;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.distribution.TDistribution;
import org.apache.commons.math3.special.Gamma;

/**
 * Power and sample size of a two-sided paired (one-sample) t-test, from the non-central t distribution
 * (J. Cohen, "Statistical Power Analysis for the Behavioral Sciences", 2nd ed., 1988, ch. 2): with n pairs,
 * standardized effect δ = |mean difference| / sd and critical value c = t(1 − α/2, n − 1), the power is
 * P(|T'| &gt; c) where T' = (Z + δ√n) / (W / √(n − 1)), Z standard normal and W chi-distributed with
 * n − 1 degrees of freedom. commons-math3 has no non-central t, so the expectation over W is integrated
 * numerically (composite Simpson on {@value #INTERVALS} intervals over √df ± 12, where the chi density
 * lives), which is accurate to
 * about 1e-9 for the degrees of freedom that matter here.
 */
public final class PairedSampleSize {
    /** Two-sided significance level of the seed advice. */
    public static final double ALPHA = 0.05;
    /** Target power of the seed advice. */
    public static final double POWER = 0.8;
    /** Largest number of seeds the advice will compute; beyond it the difference is practically zero. */
    public static final int MAX_SEEDS = 1_000_000;
    private static final int INTERVALS = 4000;
    private static final NormalDistribution STANDARD_NORMAL = new NormalDistribution(0.0, 1.0);

    private PairedSampleSize() {
    }

    /** Power of the two-sided paired t-test with {@code n} ≥ 2 pairs, standardized effect δ, level α. */
    public static double power(int n, double effect, double alpha) {
        if (n < 2) {
            throw new IllegalArgumentException("a paired t-test needs at least 2 pairs, got n=" + n);
        }
        if (!(alpha > 0.0 && alpha < 1.0)) {
            throw new IllegalArgumentException("alpha must lie in (0, 1), got " + alpha);
        }
        int df = n - 1;
        double ncp = Math.abs(effect) * Math.sqrt(n);
        double c = new TDistribution(null, df).inverseCumulativeProbability(1.0 - alpha / 2.0);
        // the chi density lives within about ±12 of √df (sd ≈ 0.71): integrate there only
        double lower = Math.max(0.0, Math.sqrt(df) - 12.0);
        double upper = Math.sqrt(df) + 12.0;
        double h = (upper - lower) / INTERVALS;
        double logNorm = (df / 2.0 - 1.0) * Math.log(2.0) + Gamma.logGamma(df / 2.0);
        double sum = 0.0;
        for (int i = 0; i <= INTERVALS; i++) {
            double w = lower + i * h;
            double weight = i == 0 || i == INTERVALS ? 1.0 : (i % 2 == 1 ? 4.0 : 2.0);
            sum += weight * chiDensity(w, df, logNorm) * rejectionGivenW(w, df, c, ncp);
        }
        return Math.min(1.0, sum * h / 3.0);
    }

    /**
     * The smallest number of pairs (≥ 2) whose power reaches {@code power} for standardized effect δ at
     * level α; empty when δ is zero or not finite, or more than {@value #MAX_SEEDS} pairs would be needed.
     */
    public static OptionalInt pairsNeeded(double effect, double alpha, double power) {
        if (!(power > 0.0 && power < 1.0)) {
            throw new IllegalArgumentException("power must lie in (0, 1), got " + power);
        }
        if (!Double.isFinite(effect) || effect == 0.0) {
            return OptionalInt.empty();
        }
        if (power(2, effect, alpha) >= power) {
            return OptionalInt.of(2);
        }
        int lo = 2;
        int hi = 4;
        while (power(hi, effect, alpha) < power) {
            lo = hi;
            hi *= 2;
            if (hi > MAX_SEEDS) {
                return OptionalInt.empty();
            }
        }
        while (hi - lo > 1) {
            int mid = (lo + hi) >>> 1;
            if (power(mid, effect, alpha) >= power) {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        return OptionalInt.of(hi);
    }

    private static double chiDensity(double w, int df, double logNorm) {
        if (w == 0.0) {
            return df == 1 ? Math.exp(-logNorm) : 0.0;
        }
        return Math.exp((df - 1) * Math.log(w) - w * w / 2.0 - logNorm);
    }

    private static double rejectionGivenW(double w, int df, double c, double ncp) {
        double cut = c * w / Math.sqrt(df);
        return STANDARD_NORMAL.cumulativeProbability(ncp - cut) + STANDARD_NORMAL.cumulativeProbability(-cut - ncp);
    }
}
