package org.ternsweep.quant;

import org.ternsweep.catalog.Catalog;
import org.ternsweep.catalog.MQuantOptions;
import org.ternsweep.catalog.MQuantOptions.Level;
import org.ternsweep.catalog.Option;

/**
 * Mass equalization ("MQuant", Yvinec, Dapogny, Bailly, ICIP 2023, arXiv 2306.17442; spec §2): the threshold
 * is the 1/3-quantile of |w| in the group, so each of the codes -1, 0, +1 receives a third of the weights,
 * which minimises the expected rather than the worst error. The quantile is numpy's default (linear
 * interpolation between order statistics). The level λ over the weights above the threshold is chosen by
 * {@link Level}.
 *
 * <p>With {@code symmetric = false} (spec §2, optional, off by default) the thresholds are the 1/3- and
 * 2/3-quantiles of the signed weights, each sign with its own level, for skewed groups. A quantile on the
 * wrong side of zero (a group that is mostly of one sign) is clamped to zero, so that a code always keeps the
 * sign of its weight; such a group then has fewer than a third of its weights at the clamped code.
 *
 * <p>{@code level: double} needs t > 0: where a threshold is 0 (a side clamped at 0, or a group more than a
 * third of whose weights are 0) λ = 2t = 0 would quantize the weights it codes ±1 to 0, so that side takes the
 * mean level instead.
 *
 * <p>A side with no weight above its threshold (e.g. all |w| equal) gets the largest magnitude on that side as
 * its level; no code uses it, and an all-zero group still gives λ = t = 0.
 *
 * <p>The definition sorts each group; the implementation gets the same numbers, bitwise, without sorting
 * (QAT refits every layer at every step, spec §4.4): the two order statistics a quantile interpolates and the
 * median of the weights above t by selection, and their mean from {@link OrderStatistics#ascendingSum}. Two
 * scratch arrays of one group's size are allocated per call and reused for every group, so the operator
 * stays stateless.
 */
public final class MQuantOperator implements TernaryOperator {
    /** The catalog name. */
    public static final String NAME = "mquant";

    private final Level level;
    private final boolean symmetric;

    /** The default: level = mean, symmetric. */
    public MQuantOperator() {
        this(Catalog.MQUANT.defaults());
    }

    public MQuantOperator(Level level, boolean symmetric) {
        this(new MQuantOptions(level, symmetric));
    }

    public MQuantOperator(MQuantOptions options) {
        this.level = options.level();
        this.symmetric = options.symmetric();
    }

    @Override
    public String name() {
        return NAME;
    }

    public Level level() {
        return level;
    }

    public boolean symmetric() {
        return symmetric;
    }

    @Override
    public TernaryFit fit(double[] values, GroupLayout layout) {
        WeightArrays.requireFinite(values, layout);
        int n = layout.groups();
        int size = layout.groupSize();
        double[] v = new double[size];
        double[] above = new double[size];
        double[] lambda = new double[n];
        double[] threshold = new double[n];
        double[] negLambda = new double[n];
        double[] negThreshold = new double[n];
        for (int g = 0; g < n; g++) {
            layout.copyGroup(values, g, v);
            if (symmetric) {
                for (int i = 0; i < size; i++) {
                    v[i] = Math.abs(v[i]);
                }
                double t = quantile(v, size, 1.0 / 3.0);
                threshold[g] = t;
                lambda[g] = levelAbove(v, size, t, false, above);
            } else {
                double tPos = Math.max(0.0, quantile(v, size, 2.0 / 3.0));
                double tNeg = Math.max(0.0, -quantile(v, size, 1.0 / 3.0));
                threshold[g] = tPos;
                lambda[g] = levelAbove(v, size, tPos, false, above);
                negThreshold[g] = tNeg;
                negLambda[g] = levelAbove(v, size, tNeg, true, above);
            }
        }
        return symmetric ? TernaryFit.symmetric(layout, lambda, threshold)
                : new TernaryFit(layout, lambda, threshold, negLambda, negThreshold);
    }

    /**
     * The level for the weights x of {@code v[0, n)} (x = w, or x = -w when {@code negated}) that lie strictly
     * above {@code t ≥ 0}, or, if none does, the largest x clamped at 0 (see the class comment). {@code double}
     * gives 2t, or, where t = 0, the mean as {@code mean} does. Equals the
     * sort-based definition bitwise: the mean adds those x in ascending order
     * ({@link OrderStatistics#ascendingSum}), the median is the middle order statistic(s) of them. Reads
     * {@code v} only; {@code scratch} (length ≥ n) receives the x above t.
     */
    private double levelAbove(double[] v, int n, double t, boolean negated, double[] scratch) {
        if (level == Level.DOUBLE && t > 0) {
            return 2 * t;
        }
        // t = 0 (a side clamped at 0, or a group over a third zeros): 2t would give coded weights the value 0, so
        // that side takes the least-squares level, the mean, as spec §2 says
        int count = 0;
        double largest = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            double x = negated ? -v[i] : v[i];
            largest = Math.max(largest, x);
            if (x > t) {
                scratch[count++] = x;
            }
        }
        if (count == 0) {
            return Math.max(0.0, largest);
        }
        if (level == Level.MEAN) {
            return OrderStatistics.ascendingSum(scratch, count) / count;
        }
        int mid = count / 2;
        double upper = OrderStatistics.select(scratch, count, mid);
        return count % 2 == 1 ? upper : (OrderStatistics.previousBeforeSelected(scratch, count, mid) + upper) / 2;
    }

    /**
     * The p-quantile of {@code v[0, n)} as {@link #quantile(double[], double)} gives it for the sorted values,
     * from the two order statistics it interpolates; permutes {@code v[0, n)}.
     */
    private static double quantile(double[] v, int n, double p) {
        double h = (n - 1) * p;
        int lo = (int) Math.floor(h);
        double a = OrderStatistics.select(v, n, lo);
        double b = lo + 1 < n ? OrderStatistics.nextAfterSelected(v, n, lo) : a;
        return lerp(a, b, h - lo);
    }

    /**
     * The p-quantile of ascending {@code sorted} exactly as numpy's default {@code method='linear'} computes
     * it: virtual index h = (n-1)·p, then the interpolation of numpy's {@code _lerp}, which for weights
     * ≥ 0.5 interpolates from the upper neighbour.
     */
    static double quantile(double[] sorted, double p) {
        int n = sorted.length;
        double h = (n - 1) * p;
        int lo = (int) Math.floor(h);
        int hi = Math.min(lo + 1, n - 1);
        return lerp(sorted[lo], sorted[hi], h - lo);
    }

    /** numpy's {@code _lerp(a, b, gamma)}: from the upper neighbour for weights ≥ 0.5. */
    private static double lerp(double a, double b, double gamma) {
        double diff = b - a;
        return gamma >= 0.5 ? b - diff * (1 - gamma) : a + diff * gamma;
    }

    @Override
    public String toString() {
        return NAME + "(level=" + Option.label(level) + (symmetric ? "" : ", symmetric=false") + ")";
    }
}
