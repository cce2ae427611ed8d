package org.ternsweep.results.render;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.ternsweep.results.model.CellRow;
import org.ternsweep.results.model.ComparisonRow;
import org.ternsweep.results.model.GroupKey;
import org.ternsweep.results.model.LayerRow;
import org.ternsweep.results.model.OperatorKey;
import org.ternsweep.results.model.ReportData;
import org.ternsweep.results.model.SummaryRow;

/**
 * Realistic synthetic report data for rendering tests, from a fixed-seed generator (this module has no
 * access to Seeds; the values only need to be reproducible). Accuracies follow the paper's pattern
 * (native collapses, mquant and tquant retain more); summaries are recomputed from the cells here, and
 * comparison p-values are set by hand to exercise every significance marker.
 */
final class SyntheticReport {
    static final String[] OPERATORS = {"native", "mquant", "tquant"};
    static final String[] LAYERS = {"conv1", "conv2", "fc1", "fc2"};

    private SyntheticReport() {
    }

    static ReportData build(String mquantName, String method2) {
        SplittableRandom rng = new SplittableRandom(7L);
        String[] ops = {"native", mquantName, "tquant"};
        double[][] centre = {{0.12, 0.43, 0.40}, {0.26, 0.63, 0.58}};
        double[] zero = {0.85, 1.0 / 3, 0.62};
        double[] sqnr = {2.1, 8.7, 7.4};
        String[] methods = {"data-free", method2};
        List<CellRow> cells = new ArrayList<>();
        for (int m = 0; m < 2; m++) {
            for (int o = 0; o < 3; o++) {
                for (long seed = 0; seed < 4; seed++) {
                    List<LayerRow> layers = new ArrayList<>();
                    for (String l : LAYERS) {
                        double z = Math.max(0, Math.min(1, zero[o] + 0.02 * rng.nextGaussian()));
                        layers.add(new LayerRow(l, "ternary", 0.08, 0.04, (1 - z) / 2, z, (1 - z) / 2,
                                0.3, sqnr[o] + 0.5 * rng.nextGaussian()));
                    }
                    boolean failed = m == 1 && o == 2 && seed == 3;
                    double acc = Math.max(0, Math.min(1, centre[m][o] + (o == 0 ? 0.03 : 0.008) * rng.nextGaussian()));
                    cells.add(new CellRow("c" + m + o + seed, failed ? CellRow.Status.FAILED : CellRow.Status.OK,
                            "cnn-small", "fashion-mnist", 0, seed, ops[o], "{}", "per-channel", methods[m], "{}", "keep",
                            failed ? Double.NaN : acc, 1.2, 0.9112, 1.5 + m * 20 + rng.nextDouble(), 0.8, layers,
                            failed ? "java.lang.ArithmeticException" : "", failed ? "NaN loss" : ""));
                }
            }
        }
        List<SummaryRow> summary = summarize(cells);
        GroupKey g0 = summary.stream().map(SummaryRow::group).filter(g -> g.method().equals("data-free")).findFirst().orElseThrow();
        GroupKey g1 = summary.stream().map(SummaryRow::group).filter(g -> !g.method().equals("data-free")).findFirst().orElseThrow();
        OperatorKey nat = new OperatorKey("native", "");
        OperatorKey mq = new OperatorKey(mquantName, "");
        OperatorKey tq = new OperatorKey("tquant", "");
        List<ComparisonRow> comparisons = List.of(
                comparison(ComparisonRow.Kind.VS_REFERENCE, g0, mq, nat, 4, 0.31, 0.003, 2),
                comparison(ComparisonRow.Kind.VS_REFERENCE, g0, tq, nat, 4, 0.28, 0.03, 3),
                comparison(ComparisonRow.Kind.VS_REFERENCE, g1, mq, nat, 1, 0.37, Double.NaN, null),
                comparison(ComparisonRow.Kind.VS_REFERENCE, g1, tq, nat, 3, 0.30, 0.2, 9),
                comparison(ComparisonRow.Kind.BETWEEN_OPERATORS, g0, mq, tq, 4, 0.03, 0.04, 6));
        return new ReportData("quick & dirty_test", "sweep: quick\nseeds: [0, 1, 2, 3]\n",
                Map.of("git_commit", "b2af921", "java.version", "17.0.12", "os.arch", "amd64"), "native",
                cells, summary, comparisons);
    }

    static ComparisonRow comparison(ComparisonRow.Kind kind, GroupKey g, OperatorKey a, OperatorKey b, int pairs,
                                    double diff, double pHolm, Integer seeds) {
        return new ComparisonRow(kind, g, a, b, pairs, pairs == 1 ? 1 : 0, diff, 0.02, diff - 0.03, diff + 0.03,
                pHolm / 2, 0.125, true, pHolm, 0.25, 0.01, seeds, false, pairs == 1 ? "one pair" : "",
                new ComparisonRow.Effect(diff - 0.025, diff + 0.035, pairs == 1 ? Double.NaN : diff / 0.02,
                        pairs == 1 ? 1.0 : 0.875, 0.12, pairs == 1 ? Double.NaN : 0.31, null));
    }

    static List<SummaryRow> summarize(List<CellRow> cells) {
        List<SummaryRow> rows = new ArrayList<>();
        cells.stream().map(CellRow::groupKey).distinct().sorted().forEach(g ->
                cells.stream().filter(c -> c.groupKey().equals(g)).map(CellRow::operatorKey).distinct().sorted()
                        .forEach(op -> {
                            List<CellRow> all = cells.stream().filter(c -> c.groupKey().equals(g) && c.operatorKey().equals(op)).toList();
                            double[] acc = all.stream().filter(CellRow::ok).mapToDouble(CellRow::accuracy).toArray();
                            double[] q = all.stream().filter(CellRow::ok).mapToDouble(CellRow::quantizeSeconds).toArray();
                            int collapsed = (int) all.stream().filter(CellRow::collapsed).count();
                            rows.add(new SummaryRow(g, op, acc.length, all.size() - acc.length, mean(acc), std(acc), 0.01,
                                    min(acc), mean(acc), max(acc), 0.9112, mean(q), std(q), 0.8, 0.01,
                                    new SummaryRow.Spread(mean(acc) - 0.012, mean(acc) + 0.009, 1, Double.NaN,
                                            Double.NaN, Double.NaN, collapsed, "0-" + (all.size() - 1), null)));
                        }));
        return rows;
    }

    static double mean(double[] x) {
        return java.util.Arrays.stream(x).average().orElse(Double.NaN);
    }

    static double std(double[] x) {
        double m = mean(x);
        return Math.sqrt(java.util.Arrays.stream(x).map(v -> (v - m) * (v - m)).sum() / (x.length - 1));
    }

    static double min(double[] x) {
        return java.util.Arrays.stream(x).min().orElse(Double.NaN);
    }

    static double max(double[] x) {
        return java.util.Arrays.stream(x).max().orElse(Double.NaN);
    }
}
