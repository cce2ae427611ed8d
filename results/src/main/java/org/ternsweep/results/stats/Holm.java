package org.ternsweep.results.stats;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Holm's step-down adjustment of p-values for multiple comparisons (S. Holm, "A simple sequentially
 * rejective multiple test procedure", Scand. J. Statist. 6, 1979). With the m finite p-values sorted
 * ascending, p(i) becomes max over j ≤ i of min(1, (m − j + 1)·p(j)); it controls the family-wise
 * error rate without assuming independence.
 *
 * <p>NaN p-values (tests that could not be made) are not part of the family: they stay NaN and do
 * not increase m.
 */
public final class Holm {
    private Holm() {
    }

    /** Adjusted p-values, in the order of {@code p}. */
    public static double[] adjust(double[] p) {
        double[] adjusted = new double[p.length];
        Arrays.fill(adjusted, Double.NaN);
        Integer[] order = IntStream.range(0, p.length).filter(i -> !Double.isNaN(p[i])).boxed()
                .sorted(Comparator.comparingDouble(i -> p[i])).toArray(Integer[]::new);
        for (double v : p) {
            if (!Double.isNaN(v) && (v < 0.0 || v > 1.0)) {
                throw new IllegalArgumentException("p-value " + v + " is outside [0, 1]; Holm adjusts probabilities only");
            }
        }
        int m = order.length;
        double running = 0.0;
        for (int rank = 0; rank < m; rank++) {
            int i = order[rank];
            running = Math.max(running, Math.min(1.0, (m - rank) * p[i]));
            adjusted[i] = running;
        }
        return adjusted;
    }
}
