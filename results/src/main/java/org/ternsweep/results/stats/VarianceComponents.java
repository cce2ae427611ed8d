package org.ternsweep.results.stats;

/**
 * Between- and within-group variance components of a one-way random-effects model, estimated by the method
 * of moments (the ANOVA estimators; S. R. Searle, G. Casella, C. E. McCulloch, "Variance Components", 1992,
 * ch. 3, "The 1-way classification", balanced and unbalanced). Here a group is a model seed and its values
 * are the accuracies of its (calibration/cell) seeds, so the model y<sub>ij</sub> = μ + a<sub>i</sub> +
 * e<sub>ij</sub> splits the seed-to-seed variance into σ<sub>a</sub>² (the float model's training seed) and σ<sub>e</sub>² (the
 * calibration subset and batch order of one cell seed).
 *
 * <p>With k groups of sizes n<sub>i</sub>, N = Σ n<sub>i</sub>, group means ȳ<sub>i</sub> and grand mean ȳ:
 * <pre>
 *   MSB = Σ n_i (ȳ_i − ȳ)² / (k − 1)          MSW = Σ_i Σ_j (y_ij − ȳ_i)² / (N − k)
 *   n0  = (N − Σ n_i² / N) / (k − 1)          (= n for balanced groups of n)
 *   within = MSW                               between = max(0, (MSB − MSW) / n0)
 * </pre>
 * E[MSW] = σ<sub>e</sub>² and E[MSB] = σ<sub>e</sub>² + n<sub>0</sub> σ<sub>a</sub>², hence the estimators. The
 * unclipped (MSB − MSW)/n0 is negative when the group means vary less than the within-group noise predicts;
 * a variance cannot be negative, so it is reported as 0 and {@link Result#note} says so. The between fraction
 * (the intraclass correlation) is between / (between + within).
 *
 * <p>Undefined (NaN, with a note): fewer than 2 groups (nothing varies between groups) or no group with two
 * values (N − k = 0: nothing varies within groups); the fraction when both components are zero.
 */
public final class VarianceComponents {
    private VarianceComponents() {
    }

    /**
     * The estimates.
     *
     * @param groups          non-empty groups (model seeds)
     * @param n               values in all groups
     * @param n0              effective group size
     * @param msBetween       mean square between groups, MSB
     * @param msWithin        mean square within groups, MSW
     * @param between         between-group variance component, clipped at 0
     * @param within          within-group variance component (= MSW)
     * @param betweenFraction between / (between + within)
     * @param note            why a value is NaN or clipped, or ""
     */
    public record Result(int groups, int n, double n0, double msBetween, double msWithin, double between,
                         double within, double betweenFraction, String note) {
    }

    /** The components of {@code values} grouped by {@code groups[i]} (e.g. model seed). */
    public static Result oneWay(double[] values, long[] groups) {
        return oneWay(Bootstrap.byStratum(values, groups));
    }

    /** The components of the groups given as one array each (empty arrays are ignored). */
    public static Result oneWay(double[][] groups) {
        int k = 0;
        int total = 0;
        double sum = 0.0;
        double sumSquaredSizes = 0.0;
        for (double[] g : groups) {
            for (double v : g) {
                if (!Double.isFinite(v)) {
                    throw new IllegalArgumentException("value " + v + " is not finite; leave FAILED cells out"
                            + " before estimating variance components");
                }
                sum += v;
            }
            if (g.length > 0) {
                k++;
                total += g.length;
                sumSquaredSizes += (double) g.length * g.length;
            }
        }
        if (k < 2) {
            return new Result(k, total, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                    "fewer than 2 model seeds: no between-model-seed variance to estimate");
        }
        if (total - k < 1) {
            return new Result(k, total, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                    "one seed per model seed: no within-model-seed variance to estimate");
        }
        double grand = sum / total;
        double ssBetween = 0.0;
        double ssWithin = 0.0;
        for (double[] g : groups) {
            if (g.length == 0) {
                continue;
            }
            double mean = 0.0;
            for (double v : g) {
                mean += v;
            }
            mean /= g.length;
            ssBetween += g.length * (mean - grand) * (mean - grand);
            for (double v : g) {
                ssWithin += (v - mean) * (v - mean);
            }
        }
        double msb = ssBetween / (k - 1);
        double msw = ssWithin / (total - k);
        double n0 = (total - sumSquaredSizes / total) / (k - 1);
        double raw = (msb - msw) / n0;
        double between = Math.max(0.0, raw);
        String note = raw < 0.0 ? "MSB < MSW: the between-model-seed component is clipped at 0" : "";
        double sumComponents = between + msw;
        double fraction = sumComponents > 0.0 ? between / sumComponents : Double.NaN;
        if (Double.isNaN(fraction)) {
            note = "all values equal: no variance to split";
        }
        return new Result(k, total, n0, msb, msw, between, msw, fraction, note);
    }
}
