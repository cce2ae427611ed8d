package org.ternsweep.quant;

import java.util.Arrays;
import org.ternsweep.catalog.MQuantOptions;

/**
 * The straightforward definitions the operators are checked against bitwise: mquant as it was written
 * before selection replaced sorting (sort each group, numpy's linear quantile on the sorted values, the
 * level over the sorted tail, summed in ascending order), native and tquant from M = max |w|, and codes and
 * quantized values computed weight by weight with {@link TernaryFit#code}. {@code level: double} falls back to the
 * mean where t = 0, as spec §2 says.
 */
final class SortReferenceFit {
    private SortReferenceFit() {
    }

    /** The fit of {@code op} (native, tquant or mquant with its options) on C-order values, the slow way. */
    static TernaryFit fit(TernaryOperator op, double[] values, GroupLayout layout) {
        if (op instanceof MQuantOperator m) {
            return mquant(m.level(), m.symmetric(), values, layout);
        }
        int[] ratio = switch (op.name()) {
            case NativeOperator.NAME -> new int[] {1, 2, 1, 1};
            case TQuantOperator.NAME -> new int[] {1, 3, 2, 3};
            default -> throw new IllegalArgumentException("no reference for operator " + op);
        };
        double[][] groups = layout.split(values);
        double[] lambda = new double[groups.length];
        double[] threshold = new double[groups.length];
        for (int g = 0; g < groups.length; g++) {
            double m = 0;
            for (double x : groups[g]) {
                m = Math.max(m, Math.abs(x));
            }
            lambda[g] = m * ratio[2] / ratio[3];
            threshold[g] = m * ratio[0] / ratio[1];
        }
        return TernaryFit.symmetric(layout, lambda, threshold);
    }

    private static TernaryFit mquant(MQuantOptions.Level level, boolean symmetric, double[] values,
                                     GroupLayout layout) {
        double[][] groups = layout.split(values);
        int n = groups.length;
        double[] lambda = new double[n];
        double[] threshold = new double[n];
        double[] negLambda = new double[n];
        double[] negThreshold = new double[n];
        for (int g = 0; g < n; g++) {
            double[] v = groups[g];
            if (symmetric) {
                for (int i = 0; i < v.length; i++) {
                    v[i] = Math.abs(v[i]);
                }
                Arrays.sort(v);
                double t = MQuantOperator.quantile(v, 1.0 / 3.0);
                threshold[g] = t;
                lambda[g] = levelAbove(level, v, t);
            } else {
                Arrays.sort(v);
                double tPos = Math.max(0.0, MQuantOperator.quantile(v, 2.0 / 3.0));
                double tNeg = Math.max(0.0, -MQuantOperator.quantile(v, 1.0 / 3.0));
                threshold[g] = tPos;
                lambda[g] = levelAbove(level, v, tPos);
                double[] negated = new double[v.length];
                for (int i = 0; i < v.length; i++) {
                    negated[i] = -v[v.length - 1 - i];
                }
                negThreshold[g] = tNeg;
                negLambda[g] = levelAbove(level, negated, tNeg);
            }
        }
        return symmetric ? TernaryFit.symmetric(layout, lambda, threshold)
                : new TernaryFit(layout, lambda, threshold, negLambda, negThreshold);
    }

    private static double levelAbove(MQuantOptions.Level level, double[] sorted, double t) {
        if (level == MQuantOptions.Level.DOUBLE && t > 0) {
            return 2 * t;
        }
        int from = 0;
        while (from < sorted.length && !(sorted[from] > t)) {
            from++;
        }
        int count = sorted.length - from;
        if (count == 0) {
            return Math.max(0.0, sorted[sorted.length - 1]);
        }
        if (level == MQuantOptions.Level.MEAN) {
            double sum = 0;
            for (int i = from; i < sorted.length; i++) {
                sum += sorted[i];
            }
            return sum / count;
        }
        int mid = from + count / 2;
        return count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    /** Codes weight by weight. */
    static double[] codes(TernaryFit fit, double[] w) {
        double[] c = new double[w.length];
        for (int i = 0; i < w.length; i++) {
            c[i] = fit.code(fit.layout().groupOf(i), w[i]);
        }
        return c;
    }

    /** Quantized values λ·c weight by weight. */
    static double[] quantize(TernaryFit fit, double[] w) {
        double[] q = new double[w.length];
        for (int i = 0; i < w.length; i++) {
            int g = fit.layout().groupOf(i);
            int c = fit.code(g, w[i]);
            q[i] = c > 0 ? fit.lambda(g) : c < 0 ? -fit.negativeLambda(g) : 0.0;
        }
        return q;
    }
}
