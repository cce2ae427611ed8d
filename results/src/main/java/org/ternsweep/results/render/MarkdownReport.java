package org.ternsweep.results.render;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.ternsweep.results.model.ComparisonRow;
import org.ternsweep.results.model.GroupKey;
import org.ternsweep.results.model.OperatorKey;
import org.ternsweep.results.model.ReportData;
import org.ternsweep.results.model.SummaryRow;
import org.ternsweep.results.stats.AlmostStochasticOrder;
import org.ternsweep.results.stats.Bootstrap;

/**
 * report.md: the sweep's provenance, the paper-style accuracy table (float accuracy first, then
 * mean ± std in percent per operator, the best of each row in bold, significance markers against the
 * reference, ⊘ where cells collapsed to chance), the precision of each group (Student-t and BCa intervals,
 * variance components, seeds run, adaptive status), processing times, the paired comparisons with their
 * effect sizes and seed advice, and a legend that says in one line what each measure means.
 * The tables (without header and provenance) are also what the notebook shows.
 */
public final class MarkdownReport {
    private MarkdownReport() {
    }

    /** The whole report.md text. */
    public static String render(ReportData data) {
        StringBuilder md = new StringBuilder();
        md.append("# Sweep `").append(inline(data.sweepName())).append("`\n\n");
        md.append(provenance(data.provenance())).append('\n');
        md.append(tables(data));
        return md.toString();
    }

    /** Provenance facts as a bullet list. */
    public static String provenance(Map<String, String> facts) {
        StringBuilder md = new StringBuilder();
        facts.forEach((k, v) -> md.append("- ").append(cell(k)).append(": `").append(inline(v)).append("`\n"));
        return md.toString();
    }

    /** Accuracy, time and comparison tables plus the legend. */
    public static String tables(ReportData data) {
        ResultTable t = ResultTable.of(data);
        StringBuilder md = new StringBuilder();
        md.append("## Top-1 accuracy (%), mean ± std over seeds\n\n");
        List<String> head = new ArrayList<>();
        t.axes().forEach(a -> head.add(a.column()));
        head.add("seeds");
        head.add("float");
        head.addAll(t.headings().stream().map(MarkdownReport::cell).toList());
        head.add("failed");
        head.add("collapsed");
        header(md, head, t.axes().size());
        for (ResultTable.Row row : t.rows()) {
            List<String> cells = axisCells(t, row.group());
            cells.add(ResultTable.seeds(row));
            cells.add(ResultTable.percent(row.floatAccuracy()));
            for (ResultTable.Cell c : row.cells()) {
                cells.add(accuracy(c));
            }
            cells.add(Integer.toString(ResultTable.failed(row)));
            cells.add(Integer.toString(ResultTable.collapsed(row)));
            line(md, cells);
        }
        md.append('\n');
        precision(md, data, t);
        md.append("## Processing time (s): quantization mean ± std; evaluation mean\n\n");
        List<String> timeHead = new ArrayList<>();
        t.axes().forEach(a -> timeHead.add(a.column()));
        for (String h : t.headings()) {
            timeHead.add(cell(h) + " quantize");
            timeHead.add(cell(h) + " eval");
        }
        header(md, timeHead, t.axes().size());
        for (ResultTable.Row row : t.rows()) {
            List<String> cells = axisCells(t, row.group());
            for (ResultTable.Cell c : row.cells()) {
                cells.add(c.summary().map(s -> ResultTable.seconds(s.quantizeSecondsMean()) + " ± "
                        + ResultTable.seconds(s.quantizeSecondsStd())).orElse(""));
                cells.add(c.summary().map(s -> ResultTable.seconds(s.evalSecondsMean())).orElse(""));
            }
            line(md, cells);
        }
        md.append('\n');
        comparisons(md, data, ComparisonRow.Kind.VS_REFERENCE, "## Paired comparisons against `"
                + inline(data.reference().trim()) + "` (difference = operator − reference)");
        comparisons(md, data, ComparisonRow.Kind.BETWEEN_OPERATORS,
                "## Paired comparisons between operators (difference = operator − baseline)");
        md.append(legend(data, t));
        return md.toString();
    }

    private static String accuracy(ResultTable.Cell c) {
        if (c.summary().isEmpty()) {
            return "";
        }
        SummaryRow s = c.summary().get();
        String text = s.n() == 0 ? "–" : ResultTable.percent(s.accuracyMean()) + " ± " + ResultTable.percent(s.accuracyStd());
        if (c.best()) {
            text = "**" + text + "**";
        }
        if (!c.marker().markdown().isEmpty()) {
            text = text + " " + c.marker().markdown();
        }
        if (s.nFailed() > 0) {
            text = text + " (" + s.nFailed() + " failed)";
        }
        if (s.spread().nCollapsed() > 0) {
            text = text + " ⊘";
        }
        return text;
    }

    /** Per group: both intervals, the variance components, the seeds run and, with adaptive seeds, the status. */
    private static void precision(StringBuilder md, ReportData data, ResultTable t) {
        boolean adaptive = data.summary().stream().anyMatch(r -> r.spread().seedsStatus() != null);
        boolean components = data.summary().stream().anyMatch(r -> r.spread().nModelSeeds() > 1);
        List<OperatorKey> ops = data.summary().stream().map(SummaryRow::operator).distinct().toList();
        md.append("## Precision and sources of variance (accuracy in %)\n\n");
        List<String> head = new ArrayList<>();
        t.axes().forEach(a -> head.add(a.column()));
        head.addAll(List.of("operator", "cells", "model seeds", "seeds run", "mean", "t 95 % CI", "BCa 95 % CI"));
        if (components) {
            head.addAll(List.of("σ² model seed (pp²)", "σ² seed (pp²)", "model-seed share"));
        }
        head.add("collapsed");
        if (adaptive) {
            head.add("target");
        }
        header(md, head, t.axes().size() + 1);
        for (SummaryRow r : data.summary()) {
            List<String> cells = new ArrayList<>();
            t.axes().forEach(a -> cells.add(cell(a.valueOf(r.group()))));
            cells.add(cell(r.operator().label(ops)));
            cells.add(Integer.toString(r.n()));
            cells.add(Integer.toString(r.spread().nModelSeeds()));
            cells.add(cell(r.spread().seedsRun()));
            cells.add(ResultTable.percent(r.accuracyMean()));
            cells.add(interval(r.accuracyCiLow(), r.accuracyCiHigh()));
            cells.add(interval(r.spread().bcaLow(), r.spread().bcaHigh()));
            if (components) {
                cells.add(variance(r.spread().varBetween()));
                cells.add(variance(r.spread().varWithin()));
                cells.add(Double.isNaN(r.spread().varBetweenFraction()) ? "–"
                        : String.format(Locale.ROOT, "%.2f", r.spread().varBetweenFraction()));
            }
            cells.add(Integer.toString(r.spread().nCollapsed()));
            if (adaptive) {
                cells.add(r.spread().seedsStatus() == null ? "" : cell(r.spread().seedsStatus()));
            }
            line(md, cells);
        }
        md.append('\n');
    }

    private static String interval(double low, double high) {
        return Double.isNaN(low) || Double.isNaN(high) ? "–"
                : "[" + ResultTable.percent(low) + ", " + ResultTable.percent(high) + "]";
    }

    /** A variance of accuracy fractions in squared percentage points. */
    private static String variance(double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.3f", 1e4 * v);
    }

    private static String number(double v, String format) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, format, v);
    }

    private static void comparisons(StringBuilder md, ReportData data, ComparisonRow.Kind kind, String title) {
        List<ComparisonRow> rows = data.comparisons().stream().filter(c -> c.kind() == kind).toList();
        if (rows.isEmpty()) {
            return;
        }
        md.append(title).append("\n\n");
        List<GroupKey> groups = rows.stream().map(ComparisonRow::group).distinct().toList();
        List<GroupKey.Axis> axes = GroupKey.shownAxes(groups);
        List<OperatorKey> ops = data.summary().stream().map(SummaryRow::operator).distinct().toList();
        List<String> head = new ArrayList<>();
        axes.forEach(a -> head.add(a.column()));
        boolean adaptive = rows.stream().anyMatch(c -> c.effect().halfWidthMet() != null);
        head.addAll(List.of("operator", "baseline", "pairs", "unpaired", "Δ (pp) [95 % CI]", "BCa 95 % CI (pp)",
                "d_z", "P(A > B)", "ε_W2", "ε_min", "p t", "p t Holm", "p Wilcoxon", "p Wilcoxon Holm", "SE (pp)",
                "seeds for power 0.8"));
        if (adaptive) {
            head.add("target met");
        }
        head.add("note");
        header(md, head, axes.size() + 2);
        for (ComparisonRow c : rows) {
            List<String> cells = new ArrayList<>();
            axes.forEach(a -> cells.add(cell(a.valueOf(c.group()))));
            cells.add(cell(c.operator().label(ops)));
            cells.add(cell(c.baseline().label(ops)));
            cells.add(Integer.toString(c.nPairs()));
            cells.add(Integer.toString(c.nUnpaired()));
            cells.add(diff(c.meanDiff()) + " [" + diff(c.ciLow()) + ", " + diff(c.ciHigh()) + "]");
            cells.add(Double.isNaN(c.effect().bcaLow()) ? "–"
                    : "[" + diff(c.effect().bcaLow()) + ", " + diff(c.effect().bcaHigh()) + "]");
            cells.add(number(c.effect().cohensDz(), "%.2f"));
            cells.add(number(c.effect().pImprovement(), "%.2f"));
            cells.add(number(c.effect().asoEpsilon(), "%.3f"));
            cells.add(number(c.effect().asoEpsilonMin(), "%.3f"));
            cells.add(p(c.tPValue()));
            cells.add(p(c.tPValueHolm()));
            cells.add(p(c.wilcoxonPValue()) + (c.wilcoxonExact() || Double.isNaN(c.wilcoxonPValue()) ? "" : " (approx.)"));
            cells.add(p(c.wilcoxonPValueHolm()));
            cells.add(Double.isNaN(c.standardError()) ? "–"
                    : String.format(Locale.ROOT, "%.2f", 100.0 * c.standardError()));
            cells.add(c.seedsNeeded() == null ? "–" : c.seedsNeeded().toString());
            if (adaptive) {
                cells.add(c.effect().halfWidthMet() == null ? "" : c.effect().halfWidthMet() ? "yes" : "no");
            }
            List<String> notes = new ArrayList<>();
            if (c.belowSeedNoise()) {
                notes.add("below seed noise");
            }
            if (!c.note().isEmpty()) {
                notes.add(c.note());
            }
            cells.add(cell(String.join("; ", notes)));
            line(md, cells);
        }
        md.append('\n');
    }

    private static String legend(ReportData data, ResultTable t) {
        String ref = inline(data.reference().trim());
        StringBuilder md = new StringBuilder("## Legend\n\n");
        md.append("- Accuracy is top-1 on the full test set, in percent: mean ± sample std (n − 1) over seeds; "
                + "**bold** = best mean of the row; `float` = the float model's accuracy.\n");
        if (t.reference().isPresent()) {
            md.append("- Markers against `").append(ref).append("`, paired by seed, two-sided paired t-test, "
                    + "Holm-adjusted across every comparison against it: \\* p < 0.05, \\*\\* p < 0.01, "
                    + "† fewer than 2 pairs (no test).\n");
        } else {
            md.append("- The reference operator `").append(ref)
                    .append("` is not in this sweep: no markers and no comparisons against it.\n");
        }
        md.append("- Comparisons: Δ in percentage points with its 95 % Student-t interval; Wilcoxon signed-rank "
                + "drops zero differences and is exact (enumerated) up to 50 pairs; unpaired = OK cells left "
                + "out because the other operator has no OK cell at that seed; FAILED cells are only counted.\n");
        md.append("- Seed advice: SE = std of the differences / √pairs; seeds for power 0.8 = pairs a two-sided "
                + "paired t-test (α = 0.05) needs to detect the observed Δ given the observed spread; "
                + "'below seed noise' = |Δ| is smaller than the std of the per-seed differences.\n");
        md.append("- ⊘ / collapsed: cells whose accuracy is within 2 points of chance (1 / number of classes); a mean "
                + "over them mixes a failed and a working network.\n");
        md.append("- Cells pool every model seed (float baseline) and seed of a group; comparisons pair on "
                + "(model seed, seed).\n");
        md.append("- BCa 95 % CI: range for the mean (or the mean difference) from " + Bootstrap.RESAMPLES
                + " bootstrap resamples of the seeds (stratified by model seed; SplittableRandom seed "
                + Bootstrap.SEED + "), no normality assumed.\n");
        md.append("- σ² model seed / σ² seed: how much of the variance comes from the float model's training seed "
                + "versus the calibration/cell seed (one-way random-effects ANOVA, clipped at 0); model-seed share "
                + "= σ² model seed / (σ² model seed + σ² seed), near 1: train more model seeds, near 0: run more "
                + "seeds.\n");
        md.append("- d_z: mean difference in units of its seed-to-seed standard deviation (0.2 small, 0.5 medium, "
                + "0.8 large).\n");
        md.append("- P(A > B): fraction of paired seeds at which the operator beat the baseline, ties half; 0.5 = "
                + "no consistent winner.\n");
        md.append("- ε_W2 / ε_min: share of the distance between the two accuracy distributions where the operator "
                + "is worse, and its upper " + Math.round(100 * AlmostStochasticOrder.CONFIDENCE) + " % bound; "
                + "ε_min < 0.5: the operator is almost stochastically larger, 0: better at every quantile.\n");
        if (data.summary().stream().anyMatch(r -> r.spread().seedsStatus() != null)) {
            md.append("- Adaptive seeds: target = whether the group's 95 % half-width met the sweep's "
                    + "ci95_half_width (met), or it ran the most seeds allowed (at_max), or the rounds were cut short "
                    + "(running); target met = the same for the paired difference against the reference.\n");
        }
        return md.toString();
    }

    private static List<String> axisCells(ResultTable t, GroupKey g) {
        List<String> cells = new ArrayList<>();
        t.axes().forEach(a -> cells.add(cell(a.valueOf(g))));
        return cells;
    }

    private static void header(StringBuilder md, List<String> head, int leftColumns) {
        line(md, head);
        List<String> rule = new ArrayList<>();
        for (int i = 0; i < head.size(); i++) {
            rule.add(i < leftColumns ? ":--" : "--:");
        }
        line(md, rule);
    }

    private static void line(StringBuilder md, List<String> cells) {
        md.append("| ").append(String.join(" | ", cells)).append(" |\n");
    }

    private static String diff(double fraction) {
        return Double.isNaN(fraction) ? "–" : String.format(Locale.ROOT, "%+.2f", 100.0 * fraction);
    }

    private static String p(double p) {
        if (Double.isNaN(p)) {
            return "–";
        }
        return p < 1e-4 ? String.format(Locale.ROOT, "%.1e", p) : String.format(Locale.ROOT, "%.4f", p);
    }

    /** Text for a table cell: pipes and line breaks would break the row, emphasis characters are escaped. */
    static String cell(String s) {
        return s.replace("\\", "\\\\").replace("|", "\\|").replace("*", "\\*").replace("_", "\\_")
                .replace("\n", " ").replace("\r", " ");
    }

    /** Text inside backticks: backticks would end the span. */
    private static String inline(String s) {
        return s.replace("`", "'").replace("\n", " ");
    }
}
