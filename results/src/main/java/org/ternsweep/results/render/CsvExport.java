package org.ternsweep.results.render;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.ternsweep.results.model.CellRow;
import org.ternsweep.results.model.ComparisonRow;
import org.ternsweep.results.model.FlatRows;
import org.ternsweep.results.model.LayerRow;
import org.ternsweep.results.model.SummaryRow;

/**
 * summary.csv, comparisons.csv, and the CSV twins of the cell rows, cells.csv (one line per cell) and
 * layers.csv (one line per layer of a cell), so that the notebook runs where pandas has no Parquet reader
 * (RFC 4180: comma separated, fields with comma, quote or line break
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

    /** The columns of cells.csv. */
    public static final List<String> CELL_COLUMNS = List.of("cell_id", "status", "model", "dataset", "model_seed",
            "seed", "operator", "operator_options", "granularity", "method", "method_options", "first_last", "accuracy",
            "cross_entropy", "float_accuracy", "quantize_seconds", "eval_seconds", "collapsed", "error_class", "error");

    /** The columns of layers.csv. */
    public static final List<String> LAYER_COLUMNS = List.of("cell_id", "status", "operator", "operator_options",
            "layer", "scheme", "lambda", "threshold", "frac_neg", "frac_zero", "frac_pos", "rel_mse", "sqnr_db",
            "output_mean_shift", "output_std_ratio");

    /** cells.csv text: the cell rows without their layers, and whether each collapsed. */
    public static String cells(List<CellRow> rows) {
        return csv(CELL_COLUMNS, rows, c -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("cell_id", c.cellId());
            m.put("status", c.status().name());
            m.put("model", c.model());
            m.put("dataset", c.dataset());
            m.put("model_seed", c.modelSeed());
            m.put("seed", c.seed());
            m.put("operator", c.operator());
            m.put("operator_options", c.operatorOptions());
            m.put("granularity", c.granularity());
            m.put("method", c.method());
            m.put("method_options", c.methodOptions());
            m.put("first_last", c.firstLast());
            m.put("accuracy", c.accuracy());
            m.put("cross_entropy", c.crossEntropy());
            m.put("float_accuracy", c.floatAccuracy());
            m.put("quantize_seconds", c.quantizeSeconds());
            m.put("eval_seconds", c.evalSeconds());
            m.put("collapsed", c.collapsed());
            m.put("error_class", c.errorClass());
            m.put("error", c.error());
            return m;
        });
    }

    /** layers.csv text: one line per layer of every cell. */
    public static String layers(List<CellRow> rows) {
        List<Map<String, Object>> lines = new ArrayList<>();
        for (CellRow c : rows) {
            for (LayerRow l : c.layers()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("cell_id", c.cellId());
                m.put("status", c.status().name());
                m.put("operator", c.operator());
                m.put("operator_options", c.operatorOptions());
                m.put("layer", l.layer());
                m.put("scheme", l.scheme());
                m.put("lambda", l.lambda());
                m.put("threshold", l.threshold());
                m.put("frac_neg", l.fracNeg());
                m.put("frac_zero", l.fracZero());
                m.put("frac_pos", l.fracPos());
                m.put("rel_mse", l.relMse());
                m.put("sqnr_db", l.sqnrDb());
                m.put("output_mean_shift", l.outputMeanShift());
                m.put("output_std_ratio", l.outputStdRatio());
                lines.add(m);
            }
        }
        return csv(LAYER_COLUMNS, lines, m -> m);
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
