package org.ternsweep.results.stats;

import java.util.Arrays;
import org.apache.commons.math3.distribution.NormalDistribution;

/**
 * Two-sided Wilcoxon signed-rank test of paired differences (F. Wilcoxon, "Individual comparisons by
 * ranking methods", Biometrics Bulletin 1, 1945), written here rather than taken from commons-math3.
 *
 * <p>Why not {@code org.apache.commons.math3.stat.inference.WilcoxonSignedRankTest} (3.6.1): its exact
 * p-value ranks |d| as 1..N even when there are ties, keeps zero differences in the ranking, returns
 * values above 1 when W+ = W− (e.g. 1.25 for d = {1, −1, 2, −2}), and refuses N &gt; 30; its normal
 * approximation has no tie correction. {@code WilcoxonSignedRankTestTest} shows each disagreement.
 *
 * <p>What this class does: zero differences are dropped (Wilcoxon's method, as scipy's default
 * {@code zero_method='wilcox'}); |d| are ranked with mid-ranks for ties. With at most
 * {@value #EXACT_MAX_N} non-zero differences the p-value is exact: the null distribution of W+
 * conditional on the observed ranks is enumerated over all 2^n sign patterns (by dynamic programming on
 * doubled ranks, which are integers), and p = min(1, 2·min(P(W+ ≤ w), P(W+ ≥ w))). Above that, the normal
 * approximation with tie-corrected variance and a 0.5 continuity correction is used.
 * Differences within {@value #TOLERANCE} of each other count as tied, and within {@value #TOLERANCE} of
 * zero as zero, so that accuracies read back as doubles (k/10000) do not split true ties by rounding.
 */
public final class WilcoxonSignedRank {
    /** Largest number of non-zero differences for which the p-value is enumerated exactly. */
    public static final int EXACT_MAX_N = 50;
    /** Absolute tolerance below which two |differences| are tied, or a difference is zero. */
    public static final double TOLERANCE = 1e-12;

    private WilcoxonSignedRank() {
    }

    /**
     * Result of the test.
     *
     * @param nNonZero differences left after dropping zeros
     * @param wPlus    sum of the (mid-)ranks of the positive differences
     * @param pValue   two-sided p-value; NaN when no difference is non-zero
     * @param exact    true when the p-value was enumerated
     * @param note     why the p-value is NaN, or ""
     */
    public record Result(int nNonZero, double wPlus, double pValue, boolean exact, String note) {
    }

    /** Tests whether the paired differences {@code d} are symmetric about zero. */
    public static Result test(double[] d) {
        double[] nz = Arrays.stream(d).filter(v -> Math.abs(v) > TOLERANCE).toArray();
        for (double v : d) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("difference " + v + " is not finite; leave FAILED cells out before testing");
            }
        }
        int n = nz.length;
        if (n == 0) {
            return new Result(0, 0.0, Double.NaN, true,
                    d.length == 0 ? "no pairs" : "all " + d.length + " differences are zero: nothing to rank");
        }
        int[] doubledRanks = doubledMidRanks(nz);
        int wPlus2 = 0;
        for (int i = 0; i < n; i++) {
            if (nz[i] > 0) {
                wPlus2 += doubledRanks[i];
            }
        }
        if (n <= EXACT_MAX_N) {
            return new Result(n, wPlus2 / 2.0, exactPValue(doubledRanks, wPlus2), true, "");
        }
        return new Result(n, wPlus2 / 2.0, normalPValue(doubledRanks, wPlus2), false, "");
    }

    /** Twice the mid-ranks of |x| (1-based), so that tied ranks stay integers. */
    static int[] doubledMidRanks(double[] x) {
        int n = x.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(Math.abs(x[a]), Math.abs(x[b])));
        int[] ranks = new int[n];
        int i = 0;
        while (i < n) {
            int j = i;
            while (j + 1 < n && Math.abs(x[order[j + 1]]) - Math.abs(x[order[i]]) <= TOLERANCE) {
                j++;
            }
            // positions i..j (0-based) share the mid-rank ((i+1)+(j+1))/2; doubled: i+j+2
            for (int k = i; k <= j; k++) {
                ranks[order[k]] = i + j + 2;
            }
            i = j + 1;
        }
        return ranks;
    }

    private static double exactPValue(int[] doubledRanks, int observed) {
        int total = Arrays.stream(doubledRanks).sum();
        // count[s] = number of sign patterns whose positive doubled ranks sum to s
        double[] count = new double[total + 1];
        count[0] = 1.0;
        int reach = 0;
        for (int r : doubledRanks) {
            for (int s = reach; s >= 0; s--) {
                if (count[s] != 0.0) {
                    count[s + r] += count[s];
                }
            }
            reach += r;
        }
        double patterns = Math.pow(2.0, doubledRanks.length);
        double lower = 0.0;
        double upper = 0.0;
        for (int s = 0; s <= total; s++) {
            if (s <= observed) {
                lower += count[s];
            }
            if (s >= observed) {
                upper += count[s];
            }
        }
        return Math.min(1.0, 2.0 * Math.min(lower, upper) / patterns);
    }

    private static double normalPValue(int[] doubledRanks, int observed) {
        int n = doubledRanks.length;
        double mean = n * (n + 1) / 4.0;
        double sumSquares = 0.0;
        for (int r : doubledRanks) {
            sumSquares += (r / 2.0) * (r / 2.0);
        }
        double sd = Math.sqrt(sumSquares / 4.0);
        double w = observed / 2.0;
        double z = (Math.abs(w - mean) - 0.5) / sd;
        return Math.min(1.0, 2.0 * new NormalDistribution(0.0, 1.0).cumulativeProbability(-Math.max(z, 0.0)));
    }
}
