package org.ternsweep.quant;

/**
 * Ternary Weight Networks (Li and Liu 2016, arXiv 1605.04711; spec §2): t = 0.7 · mean |w| over the group, the
 * paper's approximation of the MSE-optimal threshold for Gaussian or uniform weights, and λ = the mean |w| over
 * {|w| > t}, the least-squares level for that threshold. A group with no weight above t (all |w| equal) gets the
 * largest |w| as its level, which no code uses; an all-zero group gets λ = t = 0.
 *
 * <p>Sums run in index order; scaling the weights by a power of two scales every sum exactly, so Q(a·w) = a·Q(w)
 * holds bit for bit for such a.
 */
public final class TwnOperator implements TernaryOperator {
    /** The catalog name. */
    public static final String NAME = "twn";

    /** The threshold's factor on mean |w| (Li and Liu 2016, eq. 9). */
    static final double THRESHOLD_FACTOR = 0.7;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public TernaryFit fit(double[] values, GroupLayout layout) {
        return TernaryFit.symmetricPerGroup(values, layout, TwnOperator::fitGroup);
    }

    private static void fitGroup(double[] v, double[] out) {
        double sum = 0;
        double largest = 0;
        for (double w : v) {
            double a = Math.abs(w);
            sum += a;
            largest = Math.max(largest, a);
        }
        double t = THRESHOLD_FACTOR * (sum / v.length);
        double above = 0;
        int count = 0;
        for (double w : v) {
            double a = Math.abs(w);
            if (a > t) {
                above += a;
                count++;
            }
        }
        out[0] = count == 0 ? largest : above / count;
        out[1] = t;
    }

    @Override
    public String toString() {
        return NAME;
    }
}
