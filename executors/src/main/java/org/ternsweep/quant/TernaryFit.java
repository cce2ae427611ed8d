package org.ternsweep.quant;

import java.util.Arrays;

/**
 * What a ternary operator fitted on one weight tensor: per group, the level λ and the threshold t of the
 * codebook {-λ, 0, +λ} (spec §1). A weight w of group g gets the code
 * {@code +1 if w > t[g], -1 if w < -t⁻[g], else 0} (so |w| == t maps to 0) and the value λ[g]·(+1) or
 * λ⁻[g]·(-1).
 *
 * <p>For every operator of the paper the two sides are equal (t⁻ = t, λ⁻ = λ): use
 * {@link #symmetric}. Only {@code mquant} with {@code symmetric: false} gives each sign its own threshold and
 * level; there {@link #lambda()} and {@link #threshold()} are the positive side.
 *
 * <p>Arrays are copied in and out; the per-group accessors ({@link #lambda(int)} …) read without copying for
 * hot loops. λ and t are finite and ≥ 0; an all-zero group has λ = t = 0.
 *
 * @param layout            which weights form each group
 * @param lambda            positive level per group
 * @param threshold         positive threshold per group
 * @param negativeLambda    level magnitude of the -1 code per group
 * @param negativeThreshold threshold magnitude of the -1 code per group
 */
public record TernaryFit(GroupLayout layout, double[] lambda, double[] threshold, double[] negativeLambda,
                         double[] negativeThreshold) {

    public TernaryFit {
        if (layout == null) {
            throw new IllegalArgumentException("a ternary fit needs a group layout");
        }
        lambda = checked("lambda", lambda, layout);
        threshold = checked("threshold", threshold, layout);
        negativeLambda = checked("negativeLambda", negativeLambda, layout);
        negativeThreshold = checked("negativeThreshold", negativeThreshold, layout);
    }

    /** A fit whose negative side mirrors the positive side, as for native, tquant and mquant. */
    public static TernaryFit symmetric(GroupLayout layout, double[] lambda, double[] threshold) {
        return new TernaryFit(layout, lambda, threshold, lambda, threshold);
    }

    /** A symmetric operator's rule for one group of weights. */
    @FunctionalInterface
    interface GroupRule {
        /**
         * Fits one group: writes its level to {@code out[0]} and its threshold to {@code out[1]} (both 0 when
         * left unwritten). {@code v} is a scratch copy of the group's weights that the rule may overwrite.
         */
        void fit(double[] v, double[] out);
    }

    /** A symmetric fit made group by group by {@code rule}, after checking that every weight is finite. */
    static TernaryFit symmetricPerGroup(double[] values, GroupLayout layout, GroupRule rule) {
        WeightArrays.requireFinite(values, layout);
        int n = layout.groups();
        double[] v = new double[layout.groupSize()];
        double[] out = new double[2];
        double[] lambda = new double[n];
        double[] threshold = new double[n];
        for (int g = 0; g < n; g++) {
            layout.copyGroup(values, g, v);
            out[0] = 0;
            out[1] = 0;
            rule.fit(v, out);
            lambda[g] = out[0];
            threshold[g] = out[1];
        }
        return symmetric(layout, lambda, threshold);
    }

    private static double[] checked(String name, double[] v, GroupLayout layout) {
        if (v == null || v.length != layout.groups()) {
            throw new IllegalArgumentException("ternary fit: " + name + " needs one value per group ("
                    + layout.groups() + " for " + layout + "), got " + (v == null ? "none" : v.length));
        }
        for (int g = 0; g < v.length; g++) {
            if (!(Double.isFinite(v[g]) && v[g] >= 0)) {
                throw new IllegalArgumentException("ternary fit: " + name + "[" + g + "] = " + v[g]
                        + " must be finite and ≥ 0");
            }
        }
        return v.clone();
    }

    public int groups() {
        return layout.groups();
    }

    /** True when both signs share one threshold and level in every group. */
    public boolean isSymmetric() {
        return Arrays.equals(lambda, negativeLambda) && Arrays.equals(threshold, negativeThreshold);
    }

    public double lambda(int group) {
        return lambda[group];
    }

    public double threshold(int group) {
        return threshold[group];
    }

    public double negativeLambda(int group) {
        return negativeLambda[group];
    }

    public double negativeThreshold(int group) {
        return negativeThreshold[group];
    }

    @Override
    public double[] lambda() {
        return lambda.clone();
    }

    @Override
    public double[] threshold() {
        return threshold.clone();
    }

    @Override
    public double[] negativeLambda() {
        return negativeLambda.clone();
    }

    @Override
    public double[] negativeThreshold() {
        return negativeThreshold.clone();
    }

    /** λ averaged over groups (and over the two signs when they differ), as the diagnostics report it. */
    public double meanLambda() {
        return (mean(lambda) + mean(negativeLambda)) / 2;
    }

    /** t averaged over groups (and over the two signs when they differ), as the diagnostics report it. */
    public double meanThreshold() {
        return (mean(threshold) + mean(negativeThreshold)) / 2;
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }

    /** The code of weight {@code w} in group {@code g}: -1, 0 or +1. */
    public int code(int g, double w) {
        if (w > threshold[g]) {
            return 1;
        }
        return w < -negativeThreshold[g] ? -1 : 0;
    }

    /**
     * Codes of C-order weights.
     *
     * @throws IllegalArgumentException if the number of weights does not match the layout
     */
    public double[] codes(double[] w) {
        return map(w, 1.0, -1.0, true);
    }

    /**
     * Quantized values λ·c of C-order weights.
     *
     * @throws IllegalArgumentException if the number of weights does not match the layout
     */
    public double[] quantize(double[] w) {
        return map(w, 0, 0, false);
    }

    /**
     * Maps every weight to {@code up}, {@code down} or 0.0 by its {@link #code}, where {@code up} and
     * {@code down} are the given constants or, when {@code constant} is false, the group's λ and -λ⁻. Walks
     * the tensor run by run ({@link GroupLayout#runLength}: run r belongs to group r mod groups), and picks
     * each result from a per-group table instead of branching on which side of the thresholds a weight lies
     * (unpredictable, about a third each).
     */
    private double[] map(double[] w, double upConstant, double downConstant, boolean constant) {
        layout.requireLength(w.length);
        int groups = layout.groups();
        // table[4g + i], i = (w > t) * 2 + (w < -t⁻); both at once cannot happen (-t⁻ ≤ 0 ≤ t)
        double[] table = new double[4 * groups];
        double[] down = new double[groups];
        for (int g = 0; g < groups; g++) {
            double up = constant ? upConstant : lambda[g];
            table[4 * g + 1] = constant ? downConstant : -negativeLambda[g];
            table[4 * g + 2] = up;
            table[4 * g + 3] = up;
            down[g] = -negativeThreshold[g];
        }
        double[] out = new double[w.length];
        int run = layout.runLength();
        int g = 0;
        for (int start = 0; start < w.length; start += run) {
            double tUp = threshold[g];
            double tDown = down[g];
            int base = 4 * g;
            for (int i = start; i < start + run; i++) {
                double x = w[i];
                out[i] = table[base + ((x > tUp ? 2 : 0) | (x < tDown ? 1 : 0))];
            }
            g = g + 1 == groups ? 0 : g + 1;
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TernaryFit f && layout.equals(f.layout) && Arrays.equals(lambda, f.lambda)
                && Arrays.equals(threshold, f.threshold) && Arrays.equals(negativeLambda, f.negativeLambda)
                && Arrays.equals(negativeThreshold, f.negativeThreshold);
    }

    @Override
    public int hashCode() {
        return layout.hashCode() * 31 + Arrays.hashCode(lambda) * 17 + Arrays.hashCode(threshold);
    }

    @Override
    public String toString() {
        return "TernaryFit[" + layout + ", meanLambda=" + meanLambda() + ", meanThreshold=" + meanThreshold()
                + (isSymmetric() ? "" : ", asymmetric") + "]";
    }
}
