package org.ternsweep.driver.summary;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.ternsweep.catalog.Catalog;
import org.ternsweep.catalog.ComponentSpec;

/**
 * The paper-style console table: one row per model / method(+options) / granularity, one column per
 * operator(+options), cells {@code mean ± std} of the accuracy in percent, and the mean quantization
 * time of the row in seconds. Options are shown only where they differ from the catalog defaults,
 * e.g. {@code data-free(bias_correction=true)}.
 */
public final class ConsoleTable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Rows and columns follow the catalog's order (native, tquant, mquant; per-tensor, per-channel). */
    private static final Comparator<SummaryRow> GRID_ORDER = Comparator.comparing(SummaryRow::model)
            .thenComparingInt(r -> index(Catalog.methods().keySet(), r.method()))
            .thenComparing(SummaryRow::methodOptions)
            .thenComparingInt(r -> index(Catalog.GRANULARITIES, r.granularity()))
            .thenComparingInt(r -> index(Catalog.operators().keySet(), r.operator()))
            .thenComparing(SummaryRow::operatorOptions);

    private ConsoleTable() {
    }

    private static int index(java.util.Collection<String> names, String name) {
        return new ArrayList<>(names).indexOf(name);
    }

    /** Renders the rows; an empty summary renders a one-line note. */
    public static String render(List<SummaryRow> rows) {
        if (rows.isEmpty()) {
            return "(no cells to summarise)\n";
        }
        rows = new ArrayList<>(rows);
        rows.sort(GRID_ORDER);
        List<String> columns = new ArrayList<>();
        Map<String, Map<String, SummaryRow>> table = new LinkedHashMap<>();
        Map<String, double[]> quant = new LinkedHashMap<>();
        for (SummaryRow r : rows) {
            String col = labelOf(Catalog.operators().get(r.operator()), r.operator(), r.operatorOptions());
            if (!columns.contains(col)) {
                columns.add(col);
            }
            String row = r.model() + " / " + labelOf(Catalog.methods().get(r.method()), r.method(), r.methodOptions())
                    + " / " + r.granularity();
            table.computeIfAbsent(row, k -> new LinkedHashMap<>()).put(col, r);
            if (r.quantizeSecondsMean() != null) {
                double[] q = quant.computeIfAbsent(row, k -> new double[2]);
                q[0] += r.quantizeSecondsMean();
                q[1]++;
            }
        }
        List<List<String>> cells = new ArrayList<>();
        List<String> header = new ArrayList<>();
        header.add("model / method / granularity");
        header.addAll(columns);
        header.add("quantize s");
        cells.add(header);
        for (Map.Entry<String, Map<String, SummaryRow>> e : table.entrySet()) {
            List<String> line = new ArrayList<>();
            line.add(e.getKey());
            for (String c : columns) {
                line.add(cell(e.getValue().get(c)));
            }
            double[] q = quant.get(e.getKey());
            line.add(q == null ? "-" : String.format(Locale.ROOT, "%.2f", q[0] / q[1]));
            cells.add(line);
        }
        int[] width = new int[header.size()];
        for (List<String> l : cells) {
            for (int i = 0; i < l.size(); i++) {
                width[i] = Math.max(width[i], l.get(i).length());
            }
        }
        StringBuilder sb = new StringBuilder();
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
        return sb.toString();
    }

    /** {@code 91.23 ± 0.45} in percent; {@code -} without OK cells; marks failed cells. */
    static String cell(SummaryRow r) {
        if (r == null) {
            return "";
        }
        String failed = r.nFailed() > 0 ? " (" + r.nFailed() + " failed)" : "";
        if (r.accuracyMean() == null) {
            return "-" + failed;
        }
        String std = r.accuracyStd() == null ? "n=1" : String.format(Locale.ROOT, "%.2f", 100 * r.accuracyStd());
        return String.format(Locale.ROOT, "%.2f ± %s", 100 * r.accuracyMean(), std) + failed;
    }

    /** name, or name(key=value,...) for options that differ from the component's defaults. */
    public static String labelOf(ComponentSpec spec, String name, String optionsJson) {
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
            throw new IllegalArgumentException("options column is not JSON: " + json, e);
        }
    }

    private static String pad(String s, int w, boolean right) {
        String fill = " ".repeat(Math.max(0, w - s.length()));
        return right ? fill + s : s + fill;
    }
}
