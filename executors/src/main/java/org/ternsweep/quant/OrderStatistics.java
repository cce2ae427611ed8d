package org.ternsweep.quant;

import java.util.Arrays;

/**
 * Order statistics and ascending-order sums of finite doubles without sorting the whole array, for
 * {@link MQuantOperator}'s per-step refit in QAT (spec §4.4), where a full sort per group per step was the
 * quantizer's main cost.
 *
 * <p>Every result is bitwise what the sort-based computation gives: the k-th element of
 * {@code Arrays.sort(a)} (including the sign of a zero: {@code Arrays.sort} puts -0.0 before 0.0, which a
 * selection by {@code <} cannot see, so a zero result is given its sign by counting), and the sum of a set
 * of positive values added in ascending order (see {@link #ascendingSum}).
 *
 * <p>Selection is quickselect (Hoare, "Algorithm 65: Find", CACM 1961) with a median-of-three pivot and a
 * three-way partition made of two branch-free Lomuto passes (Edelkamp and Weiß, "BlockQuicksort: avoiding
 * branch mispredictions in quicksort", ESA 2016, for why branch-free partitioning pays), so that groups of
 * equal weights cost two passes; after about 2·log2(n) rounds without
 * finishing it sorts the remaining range (the introselect guard of Musser, "Introspective sorting and
 * selection algorithms", 1997), which bounds the worst case by O(n log n).
 */
final class OrderStatistics {
    /** Below this many elements a range is finished by insertion sort. */
    private static final int SMALL = 16;
    /** Sums whose exact value stays below 2^52 units of the smallest addend's float ulp are exact in double. */
    private static final double EXACT_UNITS = 0x1p52;

    private OrderStatistics() {
    }

    /**
     * The element of rank {@code k} (0-based) of {@code a[0, n)} in ascending order, bitwise as
     * {@code sorted[k]} after {@code Arrays.sort(a, 0, n)}. Permutes {@code a[0, n)} so that afterwards
     * {@code a[k]} holds that value up to the sign of a zero, no element of {@code a[0, k)} is greater and
     * no element of {@code a(k, n)} is smaller (by {@code <}).
     *
     * @param a finite values
     */
    static double select(double[] a, int n, int k) {
        int lo = 0;
        int hi = n - 1;
        int budget = 2 * (32 - Integer.numberOfLeadingZeros(n)) + 4;
        while (hi > lo) {
            if (hi - lo < SMALL) {
                insertionSort(a, lo, hi);
                break;
            }
            if (--budget < 0) {
                Arrays.sort(a, lo, hi + 1);
                break;
            }
            double pivot = medianOfThree(a[lo], a[(lo + hi) >>> 1], a[hi]);
            // two branch-free Lomuto passes (the outcome of x < pivot is unpredictable, a branch on it costs a
            // misprediction per element): a[lo, lt) < pivot, then a[lt, le) == pivot, a[le, hi] > pivot
            int lt = lo;
            for (int i = lo; i <= hi; i++) {
                double x = a[i];
                a[i] = a[lt];
                a[lt] = x;
                lt += x < pivot ? 1 : 0;
            }
            if (k < lt) {
                hi = lt - 1;
                continue;
            }
            int le = lt;
            for (int i = lt; i <= hi; i++) {
                double x = a[i];
                a[i] = a[le];
                a[le] = x;
                le += x <= pivot ? 1 : 0;
            }
            if (k < le) {
                break;
            }
            lo = le;
        }
        return signedZero(a, n, k, a[k]);
    }

    /**
     * The element of rank {@code k + 1} of {@code a[0, n)}, right after {@link #select}{@code (a, n, k)} put
     * rank {@code k} in place (so it is the smallest of {@code a(k, n)}); {@code k + 1 < n}.
     */
    static double nextAfterSelected(double[] a, int n, int k) {
        double min = a[k + 1];
        for (int i = k + 2; i < n; i++) {
            if (a[i] < min) {
                min = a[i];
            }
        }
        return signedZero(a, n, k + 1, min);
    }

    /**
     * The element of rank {@code k - 1} of {@code a[0, n)}, right after {@link #select}{@code (a, n, k)} put
     * rank {@code k} in place (so it is the largest of {@code a[0, k)}); {@code k ≥ 1}.
     */
    static double previousBeforeSelected(double[] a, int n, int k) {
        double max = a[0];
        for (int i = 1; i < k; i++) {
            if (a[i] > max) {
                max = a[i];
            }
        }
        return signedZero(a, n, k - 1, max);
    }

    /**
     * {@code value}, the element of rank {@code k}, with the sign {@code Arrays.sort} would give it if it is a
     * zero: rank k is -0.0 exactly when fewer than k + 1 elements are not below -0.0 in sort order.
     */
    private static double signedZero(double[] a, int n, int k, double value) {
        if (value != 0.0) {
            return value;
        }
        int belowPositiveZero = 0;
        for (int i = 0; i < n; i++) {
            double x = a[i];
            if (x < 0 || (x == 0 && Double.doubleToRawLongBits(x) != 0L)) {
                belowPositiveZero++;
            }
        }
        return k < belowPositiveZero ? -0.0 : 0.0;
    }

    /**
     * The sum of {@code a[0, n)} added one by one in ascending order, bitwise. The values must be positive
     * and finite. {@code a} may be reordered (sorted) in the process.
     *
     * <p>When every value is a float (as for QAT's float weights) and n·max &lt; 2^52·u, with u the float ulp
     * of the smallest value, every partial sum in any order is a multiple of u below 2^53·u, hence exactly
     * representable: each addition is exact, the result is the exact sum whatever the order, and one pass
     * gives it. Otherwise the values are sorted and added in ascending order.
     */
    static double ascendingSum(double[] a, int n) {
        double min = Double.POSITIVE_INFINITY;
        double max = 0;
        boolean floats = true;
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double x = a[i];
            sum += x;
            min = Math.min(min, x);
            max = Math.max(max, x);
            floats &= (double) (float) x == x;
        }
        if (floats && n > 0 && (double) n * max <= EXACT_UNITS * Math.ulp((float) min)) {
            return sum;
        }
        Arrays.sort(a, 0, n);
        sum = 0;
        for (int i = 0; i < n; i++) {
            sum += a[i];
        }
        return sum;
    }

    private static double medianOfThree(double x, double y, double z) {
        if (x < y) {
            return y < z ? y : Math.max(x, z);
        }
        return x < z ? x : Math.max(y, z);
    }

    private static void insertionSort(double[] a, int lo, int hi) {
        for (int i = lo + 1; i <= hi; i++) {
            double x = a[i];
            int j = i - 1;
            while (j >= lo && a[j] > x) {
                a[j + 1] = a[j];
                j--;
            }
            a[j + 1] = x;
        }
    }
}
