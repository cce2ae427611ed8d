package org.ternsweep.results.stats;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.apache.commons.math3.distribution.NormalDistribution;

/**
 * Almost stochastic order of A over B: how far the distribution of A's scores over seeds is from being
 * stochastically larger than B's (E. del Barrio, J. A. Cuesta-Albertos, C. Matrán, "An optimal transportation
 * approach for assessing almost stochastic order", 2018), with the confidence bound ε<sub>min</sub> that
 * R. Dror, S. Shlomov, R. Reichart ("Deep Dominance — How to Properly Compare Deep Neural Models", ACL 2019)
 * propose for comparing trained models.
 *
 * <p><b>The index.</b> With quantile functions F<sup>−1</sup> of A and G<sup>−1</sup> of B, the violation set
 * is V = {t ∈ (0, 1) : F<sup>−1</sup>(t) &lt; G<sup>−1</sup>(t)} (where A's t-quantile is below B's) and
 * <pre>
 *   ε_W2(A, B) = ∫_V (F⁻¹(t) − G⁻¹(t))² dt / ∫_0^1 (F⁻¹(t) − G⁻¹(t))² dt,
 * </pre>
 * the share of the squared L<sub>2</sub>-Wasserstein distance W<sub>2</sub>² that lies where A is below B.
 * ε = 0 means A is stochastically larger (every quantile of A at least B's), ε = 1 that B is, ε &lt; 0.5 that
 * A is larger over most of the transport cost ("almost stochastically larger"). ε(A, B) + ε(B, A) = 1. On
 * samples, F<sup>−1</sup> and G<sup>−1</sup> are the empirical quantile functions (x<sub>(i)</sub> on
 * ((i − 1)/n, i/n]), which are piecewise constant, so the integrals are computed exactly, piece by piece on
 * the merged breakpoints i/n and j/m (kept as integers over the common denominator n·m), not on a grid.
 * Differences within {@link WilcoxonSignedRank#TOLERANCE} count as zero. When the two samples have the same
 * values (W<sub>2</sub> = 0) the index is 0/0 and reported as NaN: there is no order to violate.
 *
 * <p><b>The confidence bound.</b> del Barrio et al. show √(nm/(n+m)) (ε̂ − ε) → N(0, σ²). Dror et al. estimate
 * σ by the bootstrap and take the smallest ε<sub>0</sub> for which the test of H<sub>0</sub>: ε ≥ ε<sub>0</sub>
 * rejects at level α:
 * <pre>
 *   ε_min = ε̂ − √((n+m)/(nm)) · σ̂ · Φ⁻¹(α),   σ̂ = sd of √(nm/(n+m)) (ε̂* − ε̂) over the bootstrap.
 * </pre>
 * With resamples of the original sizes n and m the factors cancel: ε<sub>min</sub> = ε̂ + z<sub>1−α</sub> ·
 * sd(ε̂*), an upper confidence bound on ε at level 1 − α = {@value #CONFIDENCE}. "A is almost stochastically
 * larger than B with confidence 0.95" when ε<sub>min</sub> &lt; {@value #THRESHOLD}. The bound is clipped to
 * [0, 1], the range of ε.
 *
 * <p><b>The bootstrap</b>, fixed so that it can be reproduced: {@link Bootstrap#RESAMPLES} resamples from
 * {@code new SplittableRandom(Bootstrap.SEED)}; for each, n draws of {@code nextInt(n)} pick A's values, then m
 * draws of {@code nextInt(m)} pick B's (indices into the arrays as given). A and B are resampled independently,
 * as the two-sample theory assumes, although the sweep measures them at the same seeds: ε compares the two
 * distributions, not the pairs. Resamples with W<sub>2</sub> = 0 (ε undefined) are left out of σ̂, and the
 * count used is reported; sd has divisor B − 1. ε<sub>min</sub> needs at least two values on each side: with
 * one, every resample repeats the sample and the bound would claim a certainty no measurement gave.
 */
public final class AlmostStochasticOrder {
    /** Confidence level 1 − α of ε<sub>min</sub>. */
    public static final double CONFIDENCE = 0.95;
    /** ε<sub>min</sub> below this: A is almost stochastically larger than B (Dror et al. 2019). */
    public static final double THRESHOLD = 0.5;

    private AlmostStochasticOrder() {
    }

    /**
     * The result for A over B.
     *
     * @param epsilonW2     ε<sub>W2</sub> of the samples; NaN where undefined
     * @param epsilonMin    upper confidence bound on ε at {@code confidence}; NaN where undefined
     * @param confidence    confidence level of {@code epsilonMin}
     * @param bootstrapSd   standard deviation of ε over the bootstrap resamples used
     * @param resamples     resamples drawn
     * @param resamplesUsed resamples with a defined ε (W<sub>2</sub> &gt; 0)
     * @param seed          seed of the resamples
     * @param note          why a value is NaN, or ""
     */
    public record Result(double epsilonW2, double epsilonMin, double confidence, double bootstrapSd, int resamples,
                         int resamplesUsed, long seed, String note) {
        /** Whether A is almost stochastically larger than B at the stated confidence. */
        public boolean aAlmostLarger() {
            return epsilonMin < THRESHOLD;
        }
    }

    /**
     * ε<sub>W2</sub> of A over B from the empirical quantile functions (exact); NaN when either sample is empty
     * or both have the same values.
     */
    public static double epsilonW2(double[] a, double[] b) {
        checkFinite(a, "A");
        checkFinite(b, "B");
        if (a.length == 0 || b.length == 0) {
            return Double.NaN;
        }
        double[] x = a.clone();
        double[] y = b.clone();
        Arrays.sort(x);
        Arrays.sort(y);
        return sortedEpsilon(x, y);
    }

    /** ε<sub>W2</sub> and ε<sub>min</sub> of A over B with the fixed resamples, seed and {@link #CONFIDENCE}. */
    public static Result test(double[] a, double[] b) {
        return test(a, b, Bootstrap.RESAMPLES, Bootstrap.SEED, CONFIDENCE);
    }

    /**
     * ε<sub>W2</sub> and ε<sub>min</sub> of A over B.
     *
     * @param resamples  bootstrap resamples, at least 2
     * @param seed       seed of the {@link SplittableRandom} that draws them
     * @param confidence confidence level 1 − α in (0, 1)
     */
    public static Result test(double[] a, double[] b, int resamples, long seed, double confidence) {
        if (resamples < 2) {
            throw new IllegalArgumentException("a bootstrap needs at least 2 resamples, got " + resamples);
        }
        if (!(confidence > 0.0 && confidence < 1.0)) {
            throw new IllegalArgumentException("confidence must lie in (0, 1), got " + confidence);
        }
        double epsilon = epsilonW2(a, b);
        if (a.length == 0 || b.length == 0) {
            return new Result(Double.NaN, Double.NaN, confidence, Double.NaN, 0, 0, seed, "no values for "
                    + (a.length == 0 ? "A" : "B"));
        }
        if (Double.isNaN(epsilon)) {
            return new Result(Double.NaN, Double.NaN, confidence, Double.NaN, 0, 0, seed,
                    "A and B have the same values: no order to violate");
        }
        if (a.length < 2 || b.length < 2) {
            return new Result(epsilon, Double.NaN, confidence, Double.NaN, 0, 0, seed,
                    "one value on a side: the bootstrap has nothing to resample; run more seeds");
        }
        int n = a.length;
        int m = b.length;
        SplittableRandom rng = new SplittableRandom(seed);
        double[] x = new double[n];
        double[] y = new double[m];
        double[] replicates = new double[resamples];
        int used = 0;
        for (int r = 0; r < resamples; r++) {
            for (int i = 0; i < n; i++) {
                x[i] = a[rng.nextInt(n)];
            }
            for (int j = 0; j < m; j++) {
                y[j] = b[rng.nextInt(m)];
            }
            Arrays.sort(x);
            Arrays.sort(y);
            double e = sortedEpsilon(x, y);
            if (!Double.isNaN(e)) {
                replicates[used++] = e;
            }
        }
        if (used < 2) {
            return new Result(epsilon, Double.NaN, confidence, Double.NaN, resamples, used, seed,
                    "fewer than 2 resamples with distinct A and B values: no spread to estimate");
        }
        double mean = 0.0;
        for (int r = 0; r < used; r++) {
            mean += replicates[r];
        }
        mean /= used;
        double squares = 0.0;
        for (int r = 0; r < used; r++) {
            squares += (replicates[r] - mean) * (replicates[r] - mean);
        }
        double sd = Math.sqrt(squares / (used - 1));
        double z = new NormalDistribution(null, 0.0, 1.0).inverseCumulativeProbability(confidence);
        double bound = Math.min(1.0, Math.max(0.0, epsilon + z * sd));
        return new Result(epsilon, bound, confidence, sd, resamples, used, seed, "");
    }

    /** ε<sub>W2</sub> of sorted samples: exact integral over the pieces where both quantile functions are flat. */
    private static double sortedEpsilon(double[] x, double[] y) {
        long n = x.length;
        long m = y.length;
        // piece boundaries in units of 1/(n·m): A's i-th value ends at (i+1)·m, B's j-th at (j+1)·n
        long position = 0;
        int i = 0;
        int j = 0;
        double total = 0.0;
        double violation = 0.0;
        while (position < n * m) {
            long endA = (i + 1) * m;
            long endB = (j + 1) * n;
            long end = Math.min(endA, endB);
            double diff = x[i] - y[j];
            if (Math.abs(diff) > WilcoxonSignedRank.TOLERANCE) {
                double piece = (end - position) * diff * diff;
                total += piece;
                if (diff < 0.0) {
                    violation += piece;
                }
            }
            position = end;
            if (end == endA) {
                i++;
            }
            if (end == endB) {
                j++;
            }
        }
        return total == 0.0 ? Double.NaN : violation / total;
    }

    private static void checkFinite(double[] values, String side) {
        for (double v : values) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("value " + v + " of " + side + " is not finite; leave FAILED"
                        + " cells out before comparing distributions");
            }
        }
    }
}
