package org.ternsweep.quant;

import java.util.Arrays;

/**
 * The exact MSE-optimal symmetric ternary fit of each group (spec §2). With k non-zero codes the best level is the
 * mean of the k largest |w| and the squared error is Σw² − S_k²/k, S_k the sum of the k largest |w|; so the fit
 * sorts |w| in descending order a₁ ≥ a₂ ≥ …, takes prefix sums, and picks the k that maximises S_k²/k (λ = S_k/k),
 * with the threshold at the midpoint (a_k + a_{k+1})/2 (a_{n+1} = 0; a_{k+1} itself where the two are adjacent
 * doubles). O(n log n) per group.
 *
 * <p>Only k with a_k > a_{k+1} are candidates: a threshold codes all equal magnitudes alike, so a k that splits a
 * run of ties is not a ternary fit. Of equally good k the smallest wins. An all-zero group has no candidate and
 * gets λ = t = 0. Scaling the weights by a power of two scales every sum and product exactly, so the choice of k,
 * and Q(a·w) = a·Q(w), are exact for such a.
 */
public final class OptimalOperator implements TernaryOperator {
    /** The catalog name. */
    public static final String NAME = "optimal";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public TernaryFit fit(double[] values, GroupLayout layout) {
        return TernaryFit.symmetricPerGroup(values, layout, OptimalOperator::fitGroup);
    }

    private static void fitGroup(double[] v, double[] out) {
        int size = v.length;
        for (int i = 0; i < size; i++) {
            v[i] = Math.abs(v[i]);
        }
        Arrays.sort(v);
        // v ascending: the k-th largest |w| is v[size - k]
        double best = 0;
        double bestSum = 0;
        int bestK = 0;
        double sum = 0;
        for (int k = 1; k <= size; k++) {
            double a = v[size - k];
            sum += a;
            double next = k < size ? v[size - k - 1] : 0.0;
            if (a > next) {
                double gain = sum * sum / k;
                if (gain > best) {
                    best = gain;
                    bestSum = sum;
                    bestK = k;
                }
            }
        }
        if (bestK == 0) {
            return;
        }
        double kth = v[size - bestK];
        double next = bestK < size ? v[size - bestK - 1] : 0.0;
        double mid = (kth + next) / 2;
        out[0] = bestSum / bestK;
        // two adjacent doubles have no midpoint; then the lower one is the threshold, still below a_k
        out[1] = mid < kth ? mid : next;
    }

    @Override
    public String toString() {
        return NAME;
    }
}
