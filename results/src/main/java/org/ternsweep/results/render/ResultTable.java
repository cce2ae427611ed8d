package org.ternsweep.results.render;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import org.ternsweep.results.model.ComparisonRow;
import org.ternsweep.results.model.GroupKey;
import org.ternsweep.results.model.OperatorKey;
import org.ternsweep.results.model.ReportData;
import org.ternsweep.results.model.SummaryRow;

/**
 * The paper-style table, independent of its output format: one row per {@link GroupKey}, one column per
 * operator (the reference first), each cell the summary of that operator with a flag for the best mean
 * of its row and a significance marker from the Holm-adjusted paired t-test against the reference.
 * Markdown and LaTeX render the same instance, so the two can never disagree.
 */
public final class ResultTable {

    /** Significance of an operator against the reference, from the Holm-adjusted paired t-test. */
    public enum Marker {
        NONE("", ""),
        P05("\\*", "$^{*}$"),
        P01("\\*\\*", "$^{**}$"),
        FEW_PAIRS("†", "$^{\\dagger}$");

        private final String markdown;
        private final String latex;

        Marker(String markdown, String latex) {
            this.markdown = markdown;
            this.latex = latex;
        }

        /** The marker in Markdown (asterisks escaped so they are not read as emphasis). */
        public String markdown() {
            return markdown;
        }

        /** The marker in LaTeX math superscript. */
        public String latex() {
            return latex;
        }

        /** The marker for one comparison against the reference. */
        public static Marker of(ComparisonRow c) {
            if (c.nPairs() < 2) {
                return FEW_PAIRS;
            }
            double p = c.tPValueHolm();
            return p < 0.01 ? P01 : p < 0.05 ? P05 : NONE;
        }
    }

    /**
     * One cell: the operator's summary (absent if the sweep has no cell of it in this row), whether its
     * mean is the best of the row, and its marker.
     */
    public record Cell(Optional<SummaryRow> summary, boolean best, Marker marker) {
    }

    /** One row: its group, the float accuracy of its model, and one cell per column. */
    public record Row(GroupKey group, double floatAccuracy, List<Cell> cells) {
    }

    private final List<GroupKey.Axis> axes;
    private final List<OperatorKey> operators;
    private final List<String> headings;
    private final List<Row> rows;
    private final OperatorKey reference;

    private ResultTable(List<GroupKey.Axis> axes, List<OperatorKey> operators, List<String> headings, List<Row> rows,
                        OperatorKey reference) {
        this.axes = axes;
        this.operators = operators;
        this.headings = headings;
        this.rows = rows;
        this.reference = reference;
    }

    /** Builds the table of a report's summary and its comparisons against the reference. */
    public static ResultTable of(ReportData data) {
        Map<GroupKey, Map<OperatorKey, SummaryRow>> byGroup = new TreeMap<>();
        TreeSet<OperatorKey> operatorSet = new TreeSet<>();
        for (SummaryRow s : data.summary()) {
            byGroup.computeIfAbsent(s.group(), g -> new LinkedHashMap<>()).put(s.operator(), s);
            operatorSet.add(s.operator());
        }
        OperatorKey reference = operatorSet.stream().filter(k -> k.operator().equals(data.reference().trim()))
                .findFirst().orElse(null);
        List<OperatorKey> operators = new ArrayList<>(operatorSet);
        operators.sort(Comparator.comparing((OperatorKey k) -> !k.equals(reference)).thenComparing(k -> k));
        Map<GroupKey, Map<OperatorKey, ComparisonRow>> vsRef = new TreeMap<>();
        for (ComparisonRow c : data.comparisons()) {
            if (c.kind() == ComparisonRow.Kind.VS_REFERENCE) {
                vsRef.computeIfAbsent(c.group(), g -> new LinkedHashMap<>()).put(c.operator(), c);
            }
        }
        List<Row> rows = new ArrayList<>();
        byGroup.forEach((group, cells) -> {
            double best = cells.values().stream().filter(s -> s.n() > 0).mapToDouble(SummaryRow::accuracyMean)
                    .max().orElse(Double.NaN);
            List<Cell> row = new ArrayList<>();
            for (OperatorKey op : operators) {
                SummaryRow s = cells.get(op);
                ComparisonRow c = vsRef.getOrDefault(group, Map.of()).get(op);
                boolean isBest = s != null && s.n() > 0 && s.accuracyMean() == best;
                row.add(new Cell(Optional.ofNullable(s), isBest, c == null ? Marker.NONE : Marker.of(c)));
            }
            double floatAcc = cells.values().stream().mapToDouble(SummaryRow::floatAccuracyMean)
                    .filter(Double::isFinite).average().orElse(Double.NaN);
            rows.add(new Row(group, floatAcc, row));
        });
        List<String> headings = operators.stream().map(k -> k.label(operators)).toList();
        return new ResultTable(GroupKey.shownAxes(byGroup.keySet()), List.copyOf(operators), headings,
                List.copyOf(rows), reference);
    }

    /** The group axes shown as leading columns. */
    public List<GroupKey.Axis> axes() {
        return axes;
    }

    /** The operator columns, reference first. */
    public List<OperatorKey> operators() {
        return operators;
    }

    /** Column headings of {@link #operators()}: the name, with options where one operator has several settings. */
    public List<String> headings() {
        return headings;
    }

    /** The rows, in group order. */
    public List<Row> rows() {
        return rows;
    }

    /** The reference operator, if the sweep holds it. */
    public Optional<OperatorKey> reference() {
        return Optional.ofNullable(reference);
    }

    /** Number of FAILED cells in a row. */
    public static int failed(Row row) {
        return row.cells().stream().flatMap(c -> c.summary().stream()).mapToInt(SummaryRow::nFailed).sum();
    }

    /** Number of collapsed cells (accuracy within two points of chance) in a row. */
    public static int collapsed(Row row) {
        return row.cells().stream().flatMap(c -> c.summary().stream()).mapToInt(r -> r.spread().nCollapsed()).sum();
    }

    /** "5" when every operator of the row has 5 seeds, "3–5" otherwise. */
    public static String seeds(Row row) {
        int min = row.cells().stream().flatMap(c -> c.summary().stream()).mapToInt(SummaryRow::n).min().orElse(0);
        int max = row.cells().stream().flatMap(c -> c.summary().stream()).mapToInt(SummaryRow::n).max().orElse(0);
        return min == max ? Integer.toString(max) : min + "–" + max;
    }

    /** A fraction as a percentage with two decimals; "–" for NaN. */
    public static String percent(double fraction) {
        return Double.isNaN(fraction) ? "–" : String.format(java.util.Locale.ROOT, "%.2f", 100.0 * fraction);
    }

    /** Seconds with a precision that suits their size; "–" for NaN. */
    public static String seconds(double s) {
        if (Double.isNaN(s)) {
            return "–";
        }
        return String.format(java.util.Locale.ROOT, s >= 100 ? "%.0f" : s >= 1 ? "%.2f" : "%.3f", s);
    }
}
