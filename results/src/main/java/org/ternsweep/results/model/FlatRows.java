package org.ternsweep.results.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one place that names the columns of {@code summary} and {@code comparisons} (snake_case, as in
 * summary.csv, comparisons.csv and the Parquet files the notebook reloads). The driver builds its Parquet
 * schema from {@link #summaryColumns()} and {@link #comparisonColumns()} so that CSV, Parquet and the
 * notebook's Python code agree. Values are String, Long, Integer, Double or Boolean; a missing seed
 * advice, and the adaptive-seed columns of a fixed seed axis, are null.
 */
public final class FlatRows {
    private FlatRows() {
    }

    /** Column names of a flattened summary row, in order. */
    public static List<String> summaryColumns() {
        return List.copyOf(summary(new SummaryRow(new GroupKey("", "", "", "{}", "", ""), new OperatorKey("", "{}"),
                0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, new SummaryRow.Spread(0, 0, 0, 0, 0, 0, 0, "", ""))).keySet());
    }

    /** Column names of a flattened comparison row, in order. */
    public static List<String> comparisonColumns() {
        GroupKey g = new GroupKey("", "", "", "{}", "", "");
        return List.copyOf(comparison(new ComparisonRow(ComparisonRow.Kind.VS_REFERENCE, g, new OperatorKey("a", "{}"),
                new OperatorKey("b", "{}"), 0, 0, 0, 0, 0, 0, 0, 0, true, 0, 0, 0, null, false, "",
                new ComparisonRow.Effect(0, 0, 0, 0, 0, 0, null))).keySet());
    }

    /** A summary row as ordered column → value. */
    public static Map<String, Object> summary(SummaryRow r) {
        Map<String, Object> m = group(r.group());
        m.put("operator", r.operator().operator());
        m.put("operator_options", r.operator().options());
        m.put("n", r.n());
        m.put("n_failed", r.nFailed());
        m.put("accuracy_mean", r.accuracyMean());
        m.put("accuracy_std", r.accuracyStd());
        m.put("accuracy_ci95", r.accuracyCi95());
        m.put("accuracy_ci_low", r.accuracyCiLow());
        m.put("accuracy_ci_high", r.accuracyCiHigh());
        m.put("accuracy_min", r.accuracyMin());
        m.put("accuracy_median", r.accuracyMedian());
        m.put("accuracy_max", r.accuracyMax());
        m.put("accuracy_bca_low", r.spread().bcaLow());
        m.put("accuracy_bca_high", r.spread().bcaHigh());
        m.put("n_model_seeds", r.spread().nModelSeeds());
        m.put("var_between_model_seed", r.spread().varBetween());
        m.put("var_within_model_seed", r.spread().varWithin());
        m.put("var_between_fraction", r.spread().varBetweenFraction());
        m.put("n_collapsed", r.spread().nCollapsed());
        m.put("seeds_run", r.spread().seedsRun());
        m.put("seeds_status", r.spread().seedsStatus());
        m.put("float_accuracy_mean", r.floatAccuracyMean());
        m.put("quantize_seconds_mean", r.quantizeSecondsMean());
        m.put("quantize_seconds_std", r.quantizeSecondsStd());
        m.put("eval_seconds_mean", r.evalSecondsMean());
        m.put("eval_seconds_std", r.evalSecondsStd());
        return m;
    }

    /** A comparison row as ordered column → value. */
    public static Map<String, Object> comparison(ComparisonRow r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", r.kind().name().toLowerCase(java.util.Locale.ROOT));
        m.putAll(group(r.group()));
        m.put("operator", r.operator().operator());
        m.put("operator_options", r.operator().options());
        m.put("baseline", r.baseline().operator());
        m.put("baseline_options", r.baseline().options());
        m.put("n_pairs", r.nPairs());
        m.put("n_unpaired", r.nUnpaired());
        m.put("mean_diff", r.meanDiff());
        m.put("diff_std", r.diffStd());
        m.put("ci_low", r.ciLow());
        m.put("ci_high", r.ciHigh());
        m.put("bca_ci_low", r.effect().bcaLow());
        m.put("bca_ci_high", r.effect().bcaHigh());
        m.put("t_p_value", r.tPValue());
        m.put("t_p_value_holm", r.tPValueHolm());
        m.put("wilcoxon_p_value", r.wilcoxonPValue());
        m.put("wilcoxon_exact", r.wilcoxonExact());
        m.put("wilcoxon_p_value_holm", r.wilcoxonPValueHolm());
        m.put("standard_error", r.standardError());
        m.put("seeds_needed", r.seedsNeeded());
        m.put("below_seed_noise", r.belowSeedNoise());
        m.put("cohens_dz", r.effect().cohensDz());
        m.put("p_improvement", r.effect().pImprovement());
        m.put("aso_epsilon", r.effect().asoEpsilon());
        m.put("aso_epsilon_min", r.effect().asoEpsilonMin());
        m.put("ci95_half_width_met", r.effect().halfWidthMet());
        m.put("note", r.note());
        return m;
    }

    private static Map<String, Object> group(GroupKey g) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", g.model());
        m.put("dataset", g.dataset());
        m.put("method", g.method());
        m.put("method_options", g.methodOptions());
        m.put("granularity", g.granularity());
        m.put("first_last", g.firstLast());
        return m;
    }
}
