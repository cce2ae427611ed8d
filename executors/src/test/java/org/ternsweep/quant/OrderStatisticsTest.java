package org.ternsweep.quant;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.ternsweep.core.Seeds;

/** Selection and ascending sums agree bitwise with {@code Arrays.sort}, signed zeros and ties included. */
class OrderStatisticsTest {

    private static double[] draw(SplittableRandom r, int n, int kind) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = switch (kind) {
                case 0 -> r.nextGaussian();
                case 1 -> r.nextInt(5) - 2;
                case 2 -> r.nextInt(3) == 0 ? r.nextGaussian() : (r.nextBoolean() ? 0.0 : -0.0);
                case 3 -> 1.5;
                default -> (float) Math.pow(10, r.nextDouble(-20, 20));
            };
        }
        return a;
    }

    private static long bits(double x) {
        return Double.doubleToRawLongBits(x);
    }

    @Test
    void everyRankAndItsNeighboursMatchTheSortedArray() {
        SplittableRandom r = Seeds.stream(3, "order-statistics");
        for (int trial = 0; trial < 400; trial++) {
            int n = 1 + r.nextInt(trial < 200 ? 40 : 600);
            double[] a = draw(r, n, trial % 5);
            double[] sorted = a.clone();
            Arrays.sort(sorted);
            int k = r.nextInt(n);
            double[] work = a.clone();
            double kth = OrderStatistics.select(work, n, k);
            String where = "trial " + trial + " n=" + n + " k=" + k;
            assertEquals(bits(sorted[k]), bits(kth), where + ": rank k");
            if (k + 1 < n) {
                assertEquals(bits(sorted[k + 1]), bits(OrderStatistics.nextAfterSelected(work, n, k)), where + ": k+1");
            }
            if (k >= 1) {
                assertEquals(bits(sorted[k - 1]), bits(OrderStatistics.previousBeforeSelected(work, n, k)),
                        where + ": k-1");
            }
            double[] permuted = work.clone();
            Arrays.sort(permuted);
            assertEquals(Arrays.toString(sorted), Arrays.toString(permuted), where + ": same multiset");
        }
    }

    @Test
    void ascendingSumIsTheSumOfTheSortedValuesForFloatsAndDoubles() {
        SplittableRandom r = Seeds.stream(3, "ascending-sum");
        for (int trial = 0; trial < 600; trial++) {
            int n = 1 + r.nextInt(3000);
            double[] a = new double[n];
            for (int i = 0; i < n; i++) {
                double x = switch (trial % 4) {
                    case 0 -> Math.abs(r.nextGaussian()) + 1e-9;
                    case 1 -> (float) (Math.abs(r.nextGaussian()) + 1e-9);
                    case 2 -> (float) Math.pow(10, r.nextDouble(-30, 30));
                    default -> r.nextInt(1, 4) * (float) 0.1;
                };
                a[i] = x;
            }
            double[] sorted = a.clone();
            Arrays.sort(sorted);
            double expected = 0;
            for (double x : sorted) {
                expected += x;
            }
            assertEquals(bits(expected), bits(OrderStatistics.ascendingSum(a.clone(), n)), "trial " + trial + " n=" + n);
        }
    }
}
