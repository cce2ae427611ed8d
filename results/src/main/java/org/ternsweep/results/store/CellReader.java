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
import org.apache.parquet.hadoop.api.ReadSupport;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.schema.MessageType;
import org.ternsweep.core.MissingDataException;
import org.ternsweep.results.model.CellRow;
import org.ternsweep.results.model.LayerRow;

/**
 * The one reader of {@code <out>/cells/*.parquet} (schema {@link CellSchema}), with parquet-hadoop's Group
 * API on any Hadoop file system, so that the resume scan, the report and the compactor need no
 * SparkSession and run on a copied output directory. Files whose names start with {@code _} or {@code .}
 * (in-flight files, checksums) are skipped, as Spark and pyarrow skip them. Null metrics (how the store
 * writes non-finite numbers and FAILED cells) come back as NaN, which the statistics never average.
 *
 * <p>A cell id can occur in more than one row: a compacted row and a newer per-cell file of the same
 * cell (a FAILED cell rerun after {@code ternsweep compact}), or two copies of one row left by an
 * interrupted compaction. <b>The newest row wins</b>, everywhere ({@link #read}, {@link #statuses} and
 * {@link CellCompactor}), by one total order (docs/results-schema.md, "Which row of a cell counts"):
 * <ol>
 *   <li>the later {@code finished_at};</li>
 *   <li>on equal {@code finished_at}, the row of the per-cell file {@code cells/<cellId>.parquet} over a
 *       compacted one (the compactor only copies rows; a per-cell file is what a task wrote), and of a
 *       higher-numbered {@code compacted-<n>.parquet} over a lower one (written later);</li>
 *   <li>then, for files ternsweep did not write, the file name later in sort order, then the later
 *       row in the file.</li>
 * </ol>
 * The order never depends on the order in which the file system lists the files, so every reader
 * picks the same row.
 */
public final class CellReader {
    /** The columns {@link #statuses} reads: enough to apply the newest-row rule and tell OK from FAILED. */
    private static final MessageType STATUS_COLUMNS = new MessageType("cell", CellSchema.SCHEMA.getType("cell_id"),
            CellSchema.SCHEMA.getType("status"), CellSchema.SCHEMA.getType("finished_at"));

    /** Older rows first: the order of the class comment, applied to two rows of one cell. */
    static final Comparator<RawRow> OLDEST_FIRST = Comparator.comparingLong(RawRow::finishedAtMicros)
            .thenComparingInt(RawRow::fileRank)
            .thenComparing(r -> r.file().getName())
            .thenComparingInt(RawRow::index);

    private CellReader() {
    }

    /**
     * One row as stored: its Group (all columns, or those of a projection), its cell id and
     * {@code finished_at}, and where it was read (file and row number).
     */
    record RawRow(Group group, String cellId, long finishedAtMicros, Path file, int index) {
        /** Per-cell file above every compacted file, compacted files by number, other files last. */
        int fileRank() {
            if (file.getName().equals(cellId + ".parquet")) {
                return Integer.MAX_VALUE;
            }
            return Math.max(0, OutputLayout.compactedNumber(file.getName()));
        }
    }

    /**
     * Every stored cell of {@code layout}, the newest row of each, sorted by cell id; empty when there is
     * no cells/ directory.
     *
     * @throws IOException          when a cell file cannot be read
     * @throws MissingDataException naming the file when a cell file does not follow the schema
     */
    public static List<StoredCell> read(OutputLayout layout, Configuration conf) throws IOException {
        Map<String, RawRow> newest = newest(rows(cellFiles(layout, conf), conf));
        List<StoredCell> out = new ArrayList<>(newest.size());
        for (RawRow r : newest.values()) {
            try {
                out.add(toCell(r.group(), r.file()));
            } catch (RuntimeException e) {
                throw unreadable(r.file(), e);
            }
        }
        out.sort(Comparator.comparing(c -> c.row().cellId()));
        return out;
    }

    /**
     * cell id → status of the newest row of every stored cell (empty when there is none): what the resume
     * scan needs, reading only the columns {@code cell_id}, {@code status} and {@code finished_at}.
     *
     * @throws IOException          when a cell file cannot be read
     * @throws MissingDataException naming the file when a cell file does not follow the schema
     */
    public static Map<String, CellRow.Status> statuses(OutputLayout layout, Configuration conf) throws IOException {
        Configuration projected = new Configuration(conf);
        projected.set(ReadSupport.PARQUET_READ_SCHEMA, STATUS_COLUMNS.toString());
        Map<String, CellRow.Status> out = new HashMap<>();
        for (RawRow r : newest(rows(cellFiles(layout, conf), projected)).values()) {
            try {
                out.put(r.cellId(), status(r.group(), r.file()));
            } catch (RuntimeException e) {
                throw unreadable(r.file(), e);
            }
        }
        return out;
    }

    /** The cell files readers see: {@code cells/*.parquet} without {@code _}/{@code .} names, sorted by name. */
    static List<FileStatus> cellFiles(OutputLayout layout, Configuration conf) throws IOException {
        FileSystem fs = layout.cells().getFileSystem(conf);
        if (!fs.exists(layout.cells())) {
            return List.of();
        }
        FileStatus[] listed = fs.listStatus(layout.cells(), p -> p.getName().endsWith(".parquet")
                && !p.getName().startsWith("_") && !p.getName().startsWith("."));
        Arrays.sort(listed, Comparator.comparing(f -> f.getPath().getName()));
        return Arrays.stream(listed).filter(FileStatus::isFile).toList();
    }

    /** Every row of {@code files}, in file and row order. */
    static List<RawRow> rows(List<FileStatus> files, Configuration conf) throws IOException {
        List<RawRow> rows = new ArrayList<>();
        for (FileStatus f : files) {
            Path file = f.getPath();
            try (ParquetReader<Group> reader = ParquetReader.builder(new GroupReadSupport(), file).withConf(conf)
                    .build()) {
                int index = 0;
                for (Group g = reader.read(); g != null; g = reader.read()) {
                    rows.add(new RawRow(g, g.getString("cell_id", 0), g.getLong("finished_at", 0), file, index++));
                }
            } catch (RuntimeException e) {
                throw unreadable(file, e);
            }
        }
        return rows;
    }

    private static MissingDataException unreadable(Path file, RuntimeException e) {
        return new MissingDataException("cannot read cell file " + file + " (" + e + "); it does not follow the cell"
                + " schema of docs/results-schema.md: move it out of cells/ and rerun `ternsweep run` to recompute its"
                + " cells", e);
    }

    /** The newest row of every cell id in {@code rows}, by {@link #OLDEST_FIRST}. */
    static Map<String, RawRow> newest(List<RawRow> rows) {
        Map<String, RawRow> out = new HashMap<>();
        for (RawRow r : rows) {
            out.merge(r.cellId(), r, (a, b) -> OLDEST_FIRST.compare(a, b) >= 0 ? a : b);
        }
        return out;
    }

    static StoredCell toCell(Group g, Path file) {
        CellRow.Status st = status(g, file);
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
                        num(e, "sqnr_db"), num(e, "output_mean_shift"), num(e, "output_std_ratio")));
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

    private static CellRow.Status status(Group g, Path file) {
        String status = text(g, "status");
        try {
            return CellRow.Status.valueOf(status);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cell file " + file + " has status '" + status
                    + "'; allowed are OK and FAILED", e);
        }
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
