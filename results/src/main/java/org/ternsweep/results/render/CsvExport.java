package org.ternsweep.results.render;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.ternsweep.results.model.ComparisonRow;
import org.ternsweep.results.model.FlatRows;
import org.ternsweep.results.model.SummaryRow;

/**
 * summary.csv and comparisons.csv (RFC 4180: comma separated, fields with comma, quote or line break
 * quoted, quotes doubled). Columns are {@link FlatRows}'; numbers are written in full precision
 * ({@link Double#toString}), NaN as an empty field, so pandas and R read them as missing.
 */
public final class CsvExport {
    private CsvExport() {
    }

    /** summary.csv text. */
    public static String summary(List<SummaryRow> rows) {
        return csv(FlatRows.summaryColumns(), rows, FlatRows::summary);
    }

    /** comparisons.csv text. */
    public static String comparisons(List<ComparisonRow> rows) {
        return csv(FlatRows.comparisonColumns(), rows, FlatRows::comparison);
    }

    private static <T> String csv(List<String> columns, List<T> rows, Function<T, Map<String, Object>> flat) {
        StringBuilder out = new StringBuilder();
        out.append(String.join(",", columns.stream().map(CsvExport::field).toList())).append("\r\n");
        for (T row : rows) {
            Map<String, Object> m = flat.apply(row);
            out.append(String.join(",", columns.stream().map(c -> field(m.get(c))).toList())).append("\r\n");
        }
        return out.toString();
    }

    /** One CSV field. */
    static String field(Object value) {
        if (value == null || (value instanceof Double d && d.isNaN())) {
            return "";
        }
        String s = value.toString();
        if (s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")) {
            return "\"" + s.replace("\"", "\"\"") + "\"";
        }
        return s;
    }
}
