package org.ternsweep.results.store;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.ternsweep.results.model.CellRow;
import org.ternsweep.results.model.LayerRow;

/**
 * Reads {@code <out>/cells/*.parquet} (schema {@link org.ternsweep.results.store.CellSchema}) into
 * {@link StoredCell}s with parquet-hadoop's Group API, so that a report needs no SparkSession and runs on
 * a copied output directory. Files whose names start with {@code _} or {@code .} (in-flight files,
 * checksums) are skipped, as Spark and pyarrow skip them. A file may hold several rows (a compacted
 * store); when one cell id occurs more than once the row written last is kept. Null metrics (how the
 * store writes non-finite numbers and FAILED cells) come back as NaN, which the statistics never average.
 */
public final class CellReader {
    private CellReader() {
    }

    /** Every stored cell of {@code layout}, sorted by cell id; empty when there is no cells/ directory. */
    public static List<StoredCell> read(OutputLayout layout, Configuration conf) throws IOException {
        Path dir = layout.cells();
        FileSystem fs = dir.getFileSystem(conf);
        if (!fs.exists(dir)) {
            return List.of();
        }
        FileStatus[] files = fs.listStatus(dir, p -> p.getName().endsWith(".parquet")
                && !p.getName().startsWith("_") && !p.getName().startsWith("."));
        Arrays.sort(files, Comparator.comparing(f -> f.getPath().getName()));
        Map<String, StoredCell> byId = new HashMap<>();
        for (FileStatus f : files) {
            if (!f.isFile()) {
                continue;
            }
            for (StoredCell c : readFile(f.getPath(), conf)) {
                byId.merge(c.row().cellId(), c, (a, b) -> b.finishedAtMicros() > a.finishedAtMicros() ? b : a);
            }
        }
        List<StoredCell> out = new ArrayList<>(byId.values());
        out.sort(Comparator.comparing(c -> c.row().cellId()));
        return out;
    }

    private static List<StoredCell> readFile(Path file, Configuration conf) throws IOException {
        List<StoredCell> rows = new ArrayList<>();
        try (ParquetReader<Group> reader = ParquetReader.builder(new GroupReadSupport(), file).withConf(conf).build()) {
            for (Group g = reader.read(); g != null; g = reader.read()) {
                rows.add(toCell(g, file));
            }
        } catch (RuntimeException e) {
            throw new IOException("cannot read cell file " + file + " (" + e + "); it does not follow the cell schema"
                    + " of docs/results-schema.md: delete it and rerun `ternsweep run` to recompute that cell", e);
        }
        return rows;
    }

    static StoredCell toCell(Group g, Path file) {
        String status = text(g, "status");
        CellRow.Status st;
        try {
            st = CellRow.Status.valueOf(status);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cell file " + file + " has status '" + status
                    + "'; allowed are OK and FAILED", e);
        }
        List<LayerRow> layers = new ArrayList<>();
        if (has(g, "layers")) {
            Group list = g.getGroup("layers", 0);
            for (int i = 0; i < list.getFieldRepetitionCount("list"); i++) {
                Group item = list.getGroup("list", i);
                if (!has(item, "element")) {
                    continue;
                }
                Group e = item.getGroup("element", 0);
                layers.add(new LayerRow(text(e, "layer"), text(e, "scheme"), num(e, "lambda"), num(e, "threshold"),
                        num(e, "frac_neg"), num(e, "frac_zero"), num(e, "frac_pos"), num(e, "rel_mse"),
                        num(e, "sqnr_db")));
            }
        }
        Map<String, String> prov = new HashMap<>();
        if (has(g, "provenance")) {
            Group map = g.getGroup("provenance", 0);
            for (int i = 0; i < map.getFieldRepetitionCount("key_value"); i++) {
                Group kv = map.getGroup("key_value", i);
                prov.put(text(kv, "key"), has(kv, "value") ? text(kv, "value") : "");
            }
        }
        CellRow row = new CellRow(text(g, "cell_id"), st, text(g, "model"), text(g, "dataset"),
                g.getLong("model_seed", 0), g.getLong("seed", 0), text(g, "operator"), text(g, "operator_options"),
                text(g, "granularity"), text(g, "method"), text(g, "method_options"), text(g, "first_last"),
                num(g, "accuracy"), num(g, "cross_entropy"), num(g, "float_accuracy"), num(g, "quantize_seconds"),
                num(g, "eval_seconds"), layers, has(g, "error_class") ? text(g, "error_class") : null,
                has(g, "error") ? text(g, "error") : null);
        return new StoredCell(row, prov, has(g, "finished_at") ? g.getLong("finished_at", 0) : 0L);
    }

    private static boolean has(Group g, String field) {
        return g.getType().containsField(field) && g.getFieldRepetitionCount(field) > 0;
    }

    private static String text(Group g, String field) {
        return g.getString(field, 0);
    }

    private static double num(Group g, String field) {
        return has(g, field) ? g.getDouble(field, 0) : Double.NaN;
    }
}
