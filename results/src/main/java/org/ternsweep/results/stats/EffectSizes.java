package org.ternsweep.results.stats;

/**
 * Effect sizes of a paired comparison A − B over seeds, which say how large a difference is rather than
 * whether it is detectable.
 *
 * <ul>
 *   <li>Cohen's d<sub>z</sub> = mean(d) / sd(d), d = a − b per seed, sd with divisor n − 1 (J. Cohen,
 *       "Statistical Power Analysis for the Behavioral Sciences", 2nd ed., 1988, ch. 2): the mean difference
 *       in units of its own seed-to-seed spread. It is the standardized effect {@link PairedSampleSize} uses.
 *       Undefined (NaN) with fewer than two pairs or when every difference is the same (sd within
 *       {@link WilcoxonSignedRank#TOLERANCE} of zero), where the ratio has no finite meaning.</li>
 *   <li>Probability of improvement P(A &gt; B) = (1/n) Σ [a<sub>i</sub> &gt; b<sub>i</sub>] + ½ [a<sub>i</sub> =
 *       b<sub>i</sub>] over the n paired seeds: the fraction of seeds at which A beats B, ties counting half
 *       (the paired form of the probability of improvement of Agarwal et al., "Deep Reinforcement Learning at
 *       the Edge of the Statistical Precipice", NeurIPS 2021). Differences within
 *       {@link WilcoxonSignedRank#TOLERANCE} of zero are ties. NaN without pairs.</li>
 * </ul>
 */
public final class EffectSizes {
    private EffectSizes() {
    }

    /** Cohen's d<sub>z</sub> of the paired differences {@code d}; NaN below two pairs or with zero spread. */
    public static double cohensDz(double[] d) {
        checkFinite(d);
        int n = d.length;
        if (n < 2) {
            return Double.NaN;
        }
        double mean = 0.0;
        for (double v : d) {
            mean += v;
        }
        mean /= n;
        double squares = 0.0;
        for (double v : d) {
            squares += (v - mean) * (v - mean);
        }
        double sd = Math.sqrt(squares / (n - 1));
        return sd <= WilcoxonSignedRank.TOLERANCE ? Double.NaN : mean / sd;
    }

    /** P(A &gt; B) over the paired differences d = a − b, ties counting half; NaN without pairs. */
    public static double probabilityOfImprovement(double[] d) {
        checkFinite(d);
        if (d.length == 0) {
            return Double.NaN;
        }
        double wins = 0.0;
        for (double v : d) {
            if (Math.abs(v) <= WilcoxonSignedRank.TOLERANCE) {
                wins += 0.5;
            } else if (v > 0.0) {
                wins += 1.0;
            }
        }
        return wins / d.length;
    }

    /** P(A &gt; B) over the pairs (a[i], b[i]), ties counting half; NaN without pairs. */
    public static double probabilityOfImprovement(double[] a, double[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("paired samples need equal lengths, got " + a.length + " and "
                    + b.length + " values");
        }
        double[] d = new double[a.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = a[i] - b[i];
        }
        return probabilityOfImprovement(d);
    }

    private static void checkFinite(double[] d) {
        for (double v : d) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("difference " + v + " is not finite; leave FAILED cells out"
                        + " before computing effect sizes");
            }
        }
    }
}
