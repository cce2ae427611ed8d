package org.ternsweep.results.store;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.security.AccessControlException;
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
 *
 * <p>A cell file that cannot be read (truncated, garbage, a stale {@code .crc} checksum, another schema) is
 * {@link Unreadable}: the strict methods throw naming it; the lenient ones ({@link #read(OutputLayout,
 * Configuration, Consumer)}, {@link #statuses(OutputLayout, Configuration, Consumer)}) hand it to the caller and
 * go on without its rows, so its cells count as not stored (the driver moves it to {@code cells/_corrupt/}
 * with {@link #moveAside} and recomputes them; {@code ternsweep report} skips it and says so).
 */
public final class CellReader {
    /** The columns {@link #statuses} reads: enough to apply the newest-row rule and tell OK from FAILED. */
    private static final MessageType STATUS_COLUMNS = new MessageType("cell", CellSchema.SCHEMA.getType("cell_id"),
            CellSchema.SCHEMA.getType("status"), CellSchema.SCHEMA.getType("finished_at"));
    /** The columns {@link #specJsons} reads: the newest-row rule's and the cell's spec. */
    private static final MessageType SPEC_COLUMNS = new MessageType("cell", CellSchema.SCHEMA.getType("cell_id"),
            CellSchema.SCHEMA.getType("finished_at"), CellSchema.SCHEMA.getType("spec_json"));

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
     * A cell file whose rows cannot be read, and why.
     *
     * @param file  the file
     * @param error what reading it threw
     */
    public record Unreadable(Path file, Exception error) {
        /** The error in one line: its class and the first line of its message. */
        public String reason() {
            String m = error.getMessage() == null ? "" : error.getMessage().strip().lines().findFirst().orElse("");
            return error.getClass().getSimpleName() + (m.isEmpty() ? "" : ": " + (m.length() > 200
                    ? m.substring(0, 200) + "..." : m));
        }
    }

    /**
     * Every stored cell of {@code layout}, the newest row of each, sorted by cell id; empty when there is
     * no cells/ directory.
     *
     * @throws IOException          when a cell file cannot be read
     * @throws MissingDataException naming the file when a cell file is unreadable or does not follow the schema
     */
    public static List<StoredCell> read(OutputLayout layout, Configuration conf) throws IOException {
        return read(layout, conf, CellReader::fail);
    }

    /**
     * {@link #read(OutputLayout, Configuration)} that hands every unreadable cell file to {@code unreadable} and
     * leaves its rows out.
     */
    public static List<StoredCell> read(OutputLayout layout, Configuration conf, Consumer<Unreadable> unreadable)
            throws IOException {
        Map<String, RawRow> newest = newest(rows(cellFiles(layout, conf), conf, unreadable));
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
     * @throws MissingDataException naming the file when a cell file is unreadable or does not follow the schema
     */
    public static Map<String, CellRow.Status> statuses(OutputLayout layout, Configuration conf) throws IOException {
        return statuses(layout, conf, CellReader::fail);
    }

    /**
     * {@link #statuses(OutputLayout, Configuration)} that hands every unreadable cell file to {@code unreadable}
     * and leaves its cells out, so that they count as not stored.
     */
    public static Map<String, CellRow.Status> statuses(OutputLayout layout, Configuration conf,
                                                       Consumer<Unreadable> unreadable) throws IOException {
        Configuration projected = new Configuration(conf);
        projected.set(ReadSupport.PARQUET_READ_SCHEMA, STATUS_COLUMNS.toString());
        Map<String, CellRow.Status> out = new HashMap<>();
        for (RawRow r : newest(rows(cellFiles(layout, conf), projected, unreadable)).values()) {
            try {
                out.put(r.cellId(), status(r.group(), r.file()));
            } catch (RuntimeException e) {
                throw unreadable(r.file(), e);
            }
        }
        return out;
    }

    /**
     * cell id → {@code spec_json} (the canonical JSON of its {@code CellSpec}) of the newest row of every stored
     * cell, reading only that column and those of the newest-row rule: what recomputing a cell needs.
     *
     * @throws IOException          when a cell file cannot be read
     * @throws MissingDataException naming the file when a cell file is unreadable or does not follow the schema
     */
    public static Map<String, String> specJsons(OutputLayout layout, Configuration conf) throws IOException {
        Configuration projected = new Configuration(conf);
        projected.set(ReadSupport.PARQUET_READ_SCHEMA, SPEC_COLUMNS.toString());
        Map<String, String> out = new HashMap<>();
        for (RawRow r : newest(rows(cellFiles(layout, conf), projected, CellReader::fail)).values()) {
            try {
                out.put(r.cellId(), text(r.group(), "spec_json"));
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

    /**
     * Every row of {@code files}, in file and row order. A file that cannot be read goes to {@code unreadable}
     * with none of its rows; one that vanished while listing (FileNotFoundException) or cannot be opened for
     * lack of permission is not corrupt and stops the scan.
     */
    static List<RawRow> rows(List<FileStatus> files, Configuration conf, Consumer<Unreadable> unreadable)
            throws IOException {
        List<RawRow> rows = new ArrayList<>();
        for (FileStatus f : files) {
            Path file = f.getPath();
            List<RawRow> fileRows = new ArrayList<>();
            try (ParquetReader<Group> reader = ParquetReader.builder(new GroupReadSupport(), file).withConf(conf)
                    .build()) {
                int index = 0;
                for (Group g = reader.read(); g != null; g = reader.read()) {
                    fileRows.add(new RawRow(g, g.getString("cell_id", 0), g.getLong("finished_at", 0), file,
                            index++));
                }
            } catch (FileNotFoundException | AccessDeniedException | AccessControlException e) {
                throw e;
            } catch (IOException | RuntimeException e) {
                unreadable.accept(new Unreadable(file, e));
                continue;
            }
            rows.addAll(fileRows);
        }
        return rows;
    }

    /**
     * Moves an unreadable cell file, with its {@code .crc} checksum (the local file system's rename takes it
     * along), to {@code cells/_corrupt/}, which no reader lists, keeping it for inspection. The caller holds the
     * output directory's lock.
     *
     * @return where it went
     * @throws IOException when it cannot be moved (the message says to move it by hand)
     */
    public static Path moveAside(OutputLayout layout, Configuration conf, Unreadable u) throws IOException {
        FileSystem fs = u.file().getFileSystem(conf);
        Path dir = layout.corrupt();
        Path to = new Path(dir, u.file().getName());
        for (int i = 1; fs.exists(to); i++) {
            // an earlier corrupt copy of the same cell stays too
            to = new Path(dir, u.file().getName() + "." + i);
        }
        if (!fs.mkdirs(dir) || !fs.rename(u.file(), to)) {
            throw new IOException("cannot move the unreadable cell file " + u.file() + " (" + u.reason() + ") to "
                    + to + "; move it out of " + layout.cells() + " by hand and rerun");
        }
        return to;
    }

    private static void fail(Unreadable u) {
        throw new MissingDataException("cannot read cell file " + u.file() + " (" + u.reason() + "); it is not a"
                + " complete cell file of docs/results-schema.md: `ternsweep run` moves it to cells/_corrupt/ and"
                + " recomputes its cells", u.error());
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
