package org.ternsweep.results.stats;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.apache.commons.math3.distribution.NormalDistribution;

/**
 * Bias-corrected and accelerated (BCa) bootstrap intervals of a mean (B. Efron, "Better bootstrap confidence
 * intervals", JASA 82, 1987; Efron &amp; Tibshirani, "An Introduction to the Bootstrap", 1993, ch. 14), beside
 * the Student-t interval of {@link Statistics}: it needs no normality and follows the skew of a small sample.
 *
 * <p>Resampling is stratified when strata are given (e.g. the model seed of each value): every resample
 * draws, within each stratum, as many values as the stratum holds, with replacement, so the strata keep
 * their sizes and the interval reflects the variation within strata only, as the design fixes them
 * (Davison &amp; Hinkley, "Bootstrap Methods and their Application", 1997, §3.7). The statistic is the mean of
 * all values (the pooled mean). Paired differences are resampled as pairs: pass the differences.
 *
 * <p>The procedure, fixed so that a reader can reproduce every interval:
 * <ul>
 *   <li>{@value #RESAMPLES} resamples drawn from {@code new SplittableRandom(SEED)} with {@link #SEED} =
 *       {@value #SEED}; for each resample, for each stratum in ascending label order, n<sub>h</sub> draws of
 *       {@code nextInt(n_h)} pick the values (the order {@link #resampleIndices} returns). The mean of a
 *       resample (and of the sample) is the sum in that order divided by the count.</li>
 *   <li>Bias correction z<sub>0</sub> = Φ<sup>−1</sup>((#{θ* &lt; θ̂} + #{θ* ≤ θ̂}) / 2B): resampled means
 *       equal to the estimate count half, as in scipy 1.10's {@code bootstrap}; Efron's definition counts
 *       only those below, which biases z<sub>0</sub> when a small sample makes the bootstrap distribution
 *       discrete with mass at θ̂. Means within {@link WilcoxonSignedRank#TOLERANCE} of θ̂ count as equal,
 *       so that a different summation order cannot turn a tie into "below".</li>
 *   <li>Acceleration from the jackknife, per stratum (as scipy does for several samples):
 *       U<sub>hj</sub> = (n<sub>h</sub> − 1)(θ̄<sub>(h·)</sub> − θ̂<sub>(hj)</sub>) where θ̂<sub>(hj)</sub> is the
 *       pooled mean without value j of stratum h, and a = Σ<sub>h</sub> Σ<sub>j</sub> U³/n<sub>h</sub>³ /
 *       (6 (Σ<sub>h</sub> Σ<sub>j</sub> U²/n<sub>h</sub>²)<sup>3/2</sup>). For the mean this is, exactly,
 *       U<sub>hj</sub> = (n<sub>h</sub> − 1)(x<sub>hj</sub> − x̄<sub>h</sub>)/(N − 1), which is how it is
 *       computed.</li>
 *   <li>α<sub>1,2</sub> = Φ(z<sub>0</sub> + (z<sub>0</sub> + z<sub>α</sub>)/(1 − a(z<sub>0</sub> + z<sub>α</sub>)))
 *       with α = (1 − confidence)/2 and 1 − α; the interval ends are those quantiles of the resampled means,
 *       interpolated linearly between order statistics at position p(B − 1) (numpy's default).</li>
 * </ul>
 *
 * <p>Degenerate samples. No values: estimate and interval NaN. One value, or no stratum with two values:
 * the interval is NaN, because a bootstrap of single values has nothing to resample and would report a
 * zero-width interval that claims certainty no measurement gave. Every stratum constant (all values equal
 * within each stratum, at least one stratum with two): every resample has the same mean, so the interval is
 * the point [θ̂, θ̂], the zero spread actually observed (as the Student-t interval with std 0). Where the BCa
 * formula itself is undefined (z<sub>0</sub> infinite with a ≠ 0) the interval is NaN. {@link Interval#note}
 * says which case applied.
 */
public final class Bootstrap {
    /** Number of bootstrap resamples of every interval. */
    public static final int RESAMPLES = 10_000;
    /** Seed of the {@link SplittableRandom} that draws the resamples of every interval. */
    public static final long SEED = 1987L;
    /** Confidence level of the intervals (as {@link Statistics#CONFIDENCE}). */
    public static final double CONFIDENCE = Statistics.CONFIDENCE;
    private static final NormalDistribution STANDARD_NORMAL = new NormalDistribution(null, 0.0, 1.0);

    private Bootstrap() {
    }

    /**
     * A BCa interval.
     *
     * @param estimate     the (pooled) mean of the values
     * @param low          lower end of the interval; NaN where undefined
     * @param high         upper end; NaN where undefined
     * @param z0           bias correction; NaN where not computed
     * @param acceleration acceleration; NaN where not computed
     * @param resamples    number of resamples drawn (0 where none were needed)
     * @param seed         seed of the resamples
     * @param note         which degenerate case applied, or ""
     */
    public record Interval(double estimate, double low, double high, double z0, double acceleration, int resamples,
                           long seed, String note) {
        /** Whether both ends are numbers. */
        public boolean defined() {
            return !Double.isNaN(low) && !Double.isNaN(high);
        }
    }

    /** BCa interval of the mean of {@code values}, one stratum, with the fixed resamples and seed. */
    public static Interval mean(double[] values) {
        return mean(new double[][] {values}, RESAMPLES, SEED, CONFIDENCE);
    }

    /**
     * BCa interval of the mean of {@code values}, resampled within strata ({@code strata[i]} is the stratum of
     * {@code values[i]}, e.g. its model seed), with the fixed resamples and seed.
     */
    public static Interval mean(double[] values, long[] strata) {
        return mean(byStratum(values, strata), RESAMPLES, SEED, CONFIDENCE);
    }

    /**
     * BCa interval of the mean paired difference {@code a[i] − b[i]}, pairs resampled within strata
     * ({@code strata[i]} is the stratum of pair i), with the fixed resamples and seed.
     */
    public static Interval meanDifference(double[] a, double[] b, long[] strata) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("paired samples need equal lengths, got " + a.length + " and "
                    + b.length + " values");
        }
        double[] d = new double[a.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = a[i] - b[i];
        }
        return mean(d, strata);
    }

    /**
     * BCa interval of the pooled mean of {@code strata} (one array per stratum, in the order resampled).
     *
     * @param resamples  number of resamples, at least 2
     * @param seed       seed of the {@link SplittableRandom} that draws them
     * @param confidence two-sided confidence level in (0, 1)
     */
    public static Interval mean(double[][] strata, int resamples, long seed, double confidence) {
        if (resamples < 2) {
            throw new IllegalArgumentException("a bootstrap needs at least 2 resamples, got " + resamples);
        }
        if (!(confidence > 0.0 && confidence < 1.0)) {
            throw new IllegalArgumentException("confidence must lie in (0, 1), got " + confidence);
        }
        int total = 0;
        int largest = 0;
        for (double[] s : strata) {
            for (double v : s) {
                if (!Double.isFinite(v)) {
                    throw new IllegalArgumentException("value " + v + " is not finite; leave FAILED cells out"
                            + " before bootstrapping");
                }
            }
            total += s.length;
            largest = Math.max(largest, s.length);
        }
        if (total == 0) {
            return undefined(Double.NaN, seed, "no values");
        }
        double estimate = pooledMean(strata, total);
        if (total == 1) {
            return undefined(estimate, seed, "one value: nothing to resample; run more seeds");
        }
        if (largest < 2) {
            return undefined(estimate, seed, "every stratum holds one value: nothing to resample within strata;"
                    + " run more seeds per model seed");
        }
        if (allStrataConstant(strata)) {
            return new Interval(estimate, estimate, estimate, Double.NaN, Double.NaN, 0, seed,
                    "all values equal within each stratum: every resample has the same mean, the interval is the"
                            + " point");
        }
        double[] means = replicateMeans(strata, resamples, seed);
        double z0 = biasCorrection(means, estimate);
        double a = acceleration(strata, total);
        double alpha = (1.0 - confidence) / 2.0;
        double lowP = adjustedLevel(z0, a, STANDARD_NORMAL.inverseCumulativeProbability(alpha));
        double highP = adjustedLevel(z0, a, STANDARD_NORMAL.inverseCumulativeProbability(1.0 - alpha));
        if (Double.isNaN(lowP) || Double.isNaN(highP)) {
            return new Interval(estimate, Double.NaN, Double.NaN, z0, a, resamples, seed,
                    "BCa undefined: the bias correction is infinite (all resampled means on one side of the estimate)");
        }
        Arrays.sort(means);
        return new Interval(estimate, quantile(means, lowP), quantile(means, highP), z0, a, resamples, seed, "");
    }

    /**
     * The values' indices within their strata that each resample draws: element [b][k] is the k-th draw of
     * resample b, strata in the given order, n<sub>h</sub> draws each (so a row has Σ n<sub>h</sub> entries,
     * and entry k belongs to the stratum whose cumulative size range holds k). For tests and for readers who
     * want to reproduce an interval elsewhere.
     */
    public static int[][] resampleIndices(int[] stratumSizes, int resamples, long seed) {
        int total = Arrays.stream(stratumSizes).sum();
        SplittableRandom rng = new SplittableRandom(seed);
        int[][] out = new int[resamples][total];
        for (int b = 0; b < resamples; b++) {
            int k = 0;
            for (int size : stratumSizes) {
                for (int j = 0; j < size; j++) {
                    out[b][k++] = rng.nextInt(size);
                }
            }
        }
        return out;
    }

    /** The mean of each resample, in the order drawn (not sorted). */
    static double[] replicateMeans(double[][] strata, int resamples, long seed) {
        int total = Arrays.stream(strata).mapToInt(s -> s.length).sum();
        SplittableRandom rng = new SplittableRandom(seed);
        double[] means = new double[resamples];
        for (int b = 0; b < resamples; b++) {
            double sum = 0.0;
            for (double[] s : strata) {
                for (int j = 0; j < s.length; j++) {
                    sum += s[rng.nextInt(s.length)];
                }
            }
            means[b] = sum / total;
        }
        return means;
    }

    /** The values grouped by stratum label, labels ascending, values in input order within a stratum. */
    static double[][] byStratum(double[] values, long[] strata) {
        if (values.length != strata.length) {
            throw new IllegalArgumentException("every value needs a stratum: got " + values.length + " values and "
                    + strata.length + " stratum labels");
        }
        Map<Long, List<Double>> grouped = new TreeMap<>();
        for (int i = 0; i < values.length; i++) {
            grouped.computeIfAbsent(strata[i], k -> new ArrayList<>()).add(values[i]);
        }
        return grouped.values().stream().map(l -> l.stream().mapToDouble(Double::doubleValue).toArray())
                .toArray(double[][]::new);
    }

    private static Interval undefined(double estimate, long seed, String note) {
        return new Interval(estimate, Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0, seed, note);
    }

    private static double pooledMean(double[][] strata, int total) {
        double sum = 0.0;
        for (double[] s : strata) {
            for (double v : s) {
                sum += v;
            }
        }
        return sum / total;
    }

    /** Plain left-to-right sum (no compensation), the order the reference script reproduces. */
    private static double sum(double[] values) {
        double sum = 0.0;
        for (double v : values) {
            sum += v;
        }
        return sum;
    }

    private static boolean allStrataConstant(double[][] strata) {
        for (double[] s : strata) {
            for (double v : s) {
                if (Math.abs(v - s[0]) > WilcoxonSignedRank.TOLERANCE) {
                    return false;
                }
            }
        }
        return true;
    }

    private static double biasCorrection(double[] means, double estimate) {
        double below = 0.0;
        for (double m : means) {
            if (Math.abs(m - estimate) <= WilcoxonSignedRank.TOLERANCE) {
                below += 0.5;
            } else if (m < estimate) {
                below += 1.0;
            }
        }
        return inverseNormal(below / means.length);
    }

    private static double acceleration(double[][] strata, int total) {
        double cubes = 0.0;
        double squares = 0.0;
        for (double[] s : strata) {
            int n = s.length;
            double mean = sum(s) / n;
            for (double v : s) {
                double u = (n - 1) * (v - mean) / (total - 1);
                cubes += u * u * u / ((double) n * n * n);
                squares += u * u / ((double) n * n);
            }
        }
        return cubes / (6.0 * Math.pow(squares, 1.5));
    }

    private static double adjustedLevel(double z0, double a, double z) {
        double shifted = z0 + z;
        return STANDARD_NORMAL.cumulativeProbability(z0 + shifted / (1.0 - a * shifted));
    }

    private static double inverseNormal(double p) {
        if (p <= 0.0) {
            return Double.NEGATIVE_INFINITY;
        }
        if (p >= 1.0) {
            return Double.POSITIVE_INFINITY;
        }
        return STANDARD_NORMAL.inverseCumulativeProbability(p);
    }

    /** The p-quantile of sorted values, linear between order statistics at position p(n − 1). */
    static double quantile(double[] sorted, double p) {
        double position = p * (sorted.length - 1);
        int lower = (int) Math.floor(position);
        if (lower >= sorted.length - 1) {
            return sorted[sorted.length - 1];
        }
        double fraction = position - lower;
        return sorted[lower] + fraction * (sorted[lower + 1] - sorted[lower]);
    }
}
