package org.ternsweep.results.render;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.ternsweep.catalog.Catalog;
import org.ternsweep.catalog.ComponentSpec;
import org.ternsweep.core.MissingDataException;
import org.ternsweep.results.model.GroupKey;
import org.ternsweep.results.model.ReportData;
import org.ternsweep.results.model.SummaryRow;

/**
 * The paper-style console table: one row per group (model / method(+options) / granularity, plus any
 * other axis that varies), one column per operator (the reference first), cells {@code mean ± std} of the
 * accuracy in percent with the significance marker against the reference ({@code *} p &lt; 0.05,
 * {@code **} p &lt; 0.01 Holm-adjusted paired t-test, {@code †} fewer than two pairs) and the best mean of
 * the row flagged with {@code <}, then the mean quantization time of the row in seconds. Method options
 * are shown only where they differ from the catalog defaults, e.g. {@code data-free(bias_correction=true)}.
 */
public final class ConsoleTable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ConsoleTable() {
    }

    /** Renders the summary and markers of {@code data}; an empty summary renders a one-line note. */
    public static String render(ReportData data) {
        if (data.summary().isEmpty()) {
            return "(no cells to summarise)\n";
        }
        ResultTable t = ResultTable.of(data);
        List<List<String>> cells = new ArrayList<>();
        List<String> header = new ArrayList<>();
        header.add(String.join(" / ", t.axes().stream().filter(a -> a != GroupKey.Axis.METHOD_OPTIONS)
                .map(GroupKey.Axis::column).toList()));
        header.addAll(t.headings());
        header.add("quantize s");
        cells.add(header);
        for (ResultTable.Row row : t.rows()) {
            List<String> line = new ArrayList<>();
            line.add(rowLabel(t.axes(), row.group()));
            double quantize = 0;
            int timed = 0;
            for (ResultTable.Cell c : row.cells()) {
                line.add(cell(c));
                if (c.summary().isPresent() && Double.isFinite(c.summary().get().quantizeSecondsMean())) {
                    quantize += c.summary().get().quantizeSecondsMean();
                    timed++;
                }
            }
            line.add(timed == 0 ? "-" : String.format(Locale.ROOT, "%.2f", quantize / timed));
            cells.add(line);
        }
        StringBuilder sb = new StringBuilder();
        layout(sb, cells);
        t.reference().ifPresentOrElse(ref -> sb.append("vs ").append(ref.operator())
                        .append(", paired by seed, Holm-adjusted t-test: * p < 0.05, ** p < 0.01, † < 2 pairs;"
                                + " < best mean of the row\n"),
                () -> sb.append("reference operator ").append(data.reference().trim())
                        .append(" is not in this sweep: no significance markers; < best mean of the row\n"));
        return sb.toString();
    }

    private static void layout(StringBuilder sb, List<List<String>> cells) {
        int[] width = new int[cells.get(0).size()];
        for (List<String> l : cells) {
            for (int i = 0; i < l.size(); i++) {
                width[i] = Math.max(width[i], l.get(i).length());
            }
        }
        for (int r = 0; r < cells.size(); r++) {
            List<String> l = cells.get(r);
            for (int i = 0; i < l.size(); i++) {
                String v = l.get(i);
                sb.append(i == 0 ? pad(v, width[i], false) : "  " + pad(v, width[i], true));
            }
            sb.append('\n');
            if (r == 0) {
                int total = 0;
                for (int w : width) {
                    total += w + 2;
                }
                sb.append("-".repeat(total - 2)).append('\n');
            }
        }
    }

    private static String rowLabel(List<GroupKey.Axis> axes, GroupKey g) {
        List<String> parts = new ArrayList<>();
        for (GroupKey.Axis a : axes) {
            switch (a) {
                case METHOD -> parts.add(labelOf(Catalog.methods().get(g.method()), g.method(), g.methodOptions()));
                case METHOD_OPTIONS -> {
                    // folded into the method's label
                }
                default -> parts.add(a.valueOf(g));
            }
        }
        return String.join(" / ", parts);
    }

    /** {@code 91.23 ± 0.45 **} in percent; {@code -} without OK cells; marks the best, failed and collapsed cells. */
    static String cell(ResultTable.Cell c) {
        if (c.summary().isEmpty()) {
            return "";
        }
        SummaryRow r = c.summary().get();
        String failed = (r.nFailed() > 0 ? " (" + r.nFailed() + " failed)" : "")
                + (r.spread().nCollapsed() > 0 ? " (" + r.spread().nCollapsed() + " collapsed)" : "");
        if (r.n() == 0) {
            return "-" + failed;
        }
        String std = r.n() < 2 ? "n=1" : String.format(Locale.ROOT, "%.2f", 100 * r.accuracyStd());
        String marker = switch (c.marker()) {
            case NONE -> "";
            case P05 -> " *";
            case P01 -> " **";
            case FEW_PAIRS -> " †";
        };
        return String.format(Locale.ROOT, "%.2f ± %s", 100 * r.accuracyMean(), std) + marker
                + (c.best() ? " <" : "") + failed;
    }

    /** name, or name(key=value,...) for options that differ from the component's defaults. */
    public static String labelOf(ComponentSpec<?> spec, String name, String optionsJson) {
        Map<String, Object> given = parse(optionsJson);
        Map<String, Object> defaults = spec == null ? Map.of() : spec.resolve(Map.of());
        List<String> diff = new ArrayList<>();
        for (Map.Entry<String, Object> e : new TreeMap<>(given).entrySet()) {
            Object d = defaults.get(e.getKey());
            boolean same = d != null && (d.equals(e.getValue()) || d instanceof Number a && e.getValue() instanceof Number b
                    && a.doubleValue() == b.doubleValue());
            if (!same) {
                diff.add(e.getKey() + "=" + e.getValue());
            }
        }
        return diff.isEmpty() ? name : name + "(" + String.join(",", diff) + ")";
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> parse(String json) {
        try {
            return json == null || json.isEmpty() ? Map.of() : JSON.readValue(json, Map.class);
        } catch (JsonProcessingException e) {
            throw new MissingDataException("options column is not JSON: " + json
                    + "; the cell files were not written by ternsweep's store, rerun `ternsweep run`", e);
        }
    }

    private static String pad(String s, int w, boolean right) {
        String fill = " ".repeat(Math.max(0, w - s.length()));
        return right ? fill + s : s + fill;
    }
}
