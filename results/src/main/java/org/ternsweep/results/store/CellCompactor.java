package org.ternsweep.results.store;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.ternsweep.core.MissingDataException;
import org.ternsweep.results.store.CellReader.RawRow;

/**
 * Compaction of {@code cells/} (docs/scaling.md "Parquet files"): the one-row-per-file store that
 * makes resume exact costs one file per cell, which is slow on object stores. {@link #compact} writes
 * the newest row of every cell into a few {@code cells/compacted-<n>.parquet} files (each through
 * {@code cells/_tmp} and a rename) and only then deletes the files it read, so a crash at any point
 * leaves every cell readable; at worst a cell is in two files with the same row, which
 * {@link #reconcile} (run at the end of every {@code ternsweep run}) and the next compaction remove.
 *
 * <p>A later run writes per-cell files again (a rerun FAILED cell, new cells of a grown sweep). The
 * newest row of a cell wins everywhere, by the one rule of {@link CellReader}, which the compactor
 * applies too. The run then calls {@link #reconcile}, which rewrites the compacted files that hold a
 * superseded row without it, so Spark or pyarrow reading {@code cells/} directly also see each cell
 * exactly once.
 */
public final class CellCompactor {
    /** Rows per compacted file by default: some MB for cnn-small cells, far below any reader's limit. */
    public static final int DEFAULT_ROWS_PER_FILE = 5000;

    private CellCompactor() {
    }

    /**
     * What a compaction did.
     *
     * @param filesRead   the cell files read (per-cell and compacted)
     * @param rowsRead    their rows
     * @param cells       distinct cells, one row each in {@code written}
     * @param written     the compacted files written
     */
    public record Result(int filesRead, int rowsRead, int cells, List<Path> written) {
        public Result {
            written = List.copyOf(written);
            if (filesRead < 0 || rowsRead < 0 || cells < 0 || cells > rowsRead) {
                throw new IllegalArgumentException("negative counts in a compaction result: files " + filesRead
                        + ", rows " + rowsRead + ", cells " + cells);
            }
        }
    }

    /**
     * Compacts {@code layout}'s cells into files of at most {@code rowsPerFile} rows. The caller holds
     * the output directory's lock (the driver's {@code RunLock}). Nothing to do (no files, or already one compacted file
     * per {@code rowsPerFile} rows with no per-cell file) writes nothing.
     */
    public static Result compact(OutputLayout layout, Configuration conf, int rowsPerFile) throws IOException {
        if (rowsPerFile < 1) {
            throw new IllegalArgumentException("rows per compacted file must be >= 1, got " + rowsPerFile);
        }
        FileSystem fs = layout.cells().getFileSystem(conf);
        List<FileStatus> files = CellReader.cellFiles(layout, conf);
        List<RawRow> rows = CellReader.rows(files, conf, unreadable -> {
            throw new MissingDataException("cannot compact " + layout.cells() + ": cell file " + unreadable.file()
                    + " is unreadable (" + unreadable.reason() + "); run `ternsweep run` first, which moves it to"
                    + " cells/_corrupt/ and recomputes its cells", unreadable.error());
        });
        List<RawRow> newest = new ArrayList<>(CellReader.newest(rows).values());
        newest.sort(Comparator.comparing(RawRow::cellId));
        boolean alreadyCompact = files.stream().allMatch(f -> isCompacted(f.getPath()))
                && rows.size() == newest.size() && files.size() == (newest.size() + rowsPerFile - 1) / rowsPerFile;
        if (newest.isEmpty() || alreadyCompact) {
            return new Result(files.size(), rows.size(), newest.size(), List.of());
        }
        int next = nextNumber(files);
        List<Path> written = new ArrayList<>();
        for (int from = 0; from < newest.size(); from += rowsPerFile) {
            Path dst = layout.compacted(next++);
            writeAtomically(fs, layout, newest.subList(from, Math.min(newest.size(), from + rowsPerFile)), dst, conf);
            written.add(dst);
        }
        for (FileStatus f : files) {
            if (!fs.delete(f.getPath(), false) && fs.exists(f.getPath())) {
                throw new IOException("compacted " + f.getPath() + " into " + written + " but cannot delete it;"
                        + " check write permissions on " + layout.cells() + " (every cell is readable meanwhile)");
            }
        }
        return new Result(files.size(), rows.size(), newest.size(), written);
    }

    /**
     * Removes from the compacted files every row that a newer row of the same cell supersedes (a cell
     * rerun after compaction), so each cell is stored exactly once. Cheap when nothing is superseded:
     * only the names of the files are listed and the compacted files' cell ids read.
     *
     * @return the number of rows removed
     */
    public static int reconcile(OutputLayout layout, Configuration conf) throws IOException {
        FileSystem fs = layout.cells().getFileSystem(conf);
        List<FileStatus> files = CellReader.cellFiles(layout, conf);
        if (files.stream().noneMatch(f -> isCompacted(f.getPath()))) {
            return 0;
        }
        List<RawRow> rows = CellReader.rows(files, conf, unreadable -> {
            throw new MissingDataException("cannot compact " + layout.cells() + ": cell file " + unreadable.file()
                    + " is unreadable (" + unreadable.reason() + "); run `ternsweep run` first, which moves it to"
                    + " cells/_corrupt/ and recomputes its cells", unreadable.error());
        });
        Map<String, RawRow> newest = CellReader.newest(rows);
        int next = nextNumber(files);
        int removed = 0;
        for (FileStatus f : files) {
            if (!isCompacted(f.getPath())) {
                continue;
            }
            List<RawRow> in = rows.stream().filter(r -> r.file().equals(f.getPath())).toList();
            List<RawRow> keep = in.stream().filter(r -> newest.get(r.cellId()) == r).toList();
            if (keep.size() == in.size()) {
                continue;
            }
            removed += in.size() - keep.size();
            if (!keep.isEmpty()) {
                // a new name, then the old file goes: no moment without the kept rows
                writeAtomically(fs, layout, keep, layout.compacted(next++), conf);
            }
            if (!fs.delete(f.getPath(), false)) {
                throw new IOException("cannot delete " + f.getPath() + ", whose rows are superseded by newer cell"
                        + " files; check write permissions on " + layout.cells());
            }
        }
        return removed;
    }

    private static int nextNumber(List<FileStatus> files) {
        return Math.max(0, files.stream().mapToInt(f -> OutputLayout.compactedNumber(f.getPath().getName())).max().orElse(0)) + 1;
    }

    private static boolean isCompacted(Path p) {
        return OutputLayout.compactedNumber(p.getName()) > 0;
    }

    private static void writeAtomically(FileSystem fs, OutputLayout layout, List<RawRow> rows, Path dst,
                                        Configuration conf) throws IOException {
        Objects.requireNonNull(dst, "dst");
        Path tmp = new Path(new Path(layout.cells(), "_tmp"), dst.getName() + "." + ProcessHandle.current().pid()
                + "-" + System.nanoTime());
        try (ParquetWriter<Group> w = ExampleParquetWriter.builder(HadoopOutputFile.fromPath(tmp, conf))
                .withType(CellSchema.SCHEMA)
                .withConf(conf)
                .withCompressionCodec(CompressionCodecName.SNAPPY)
                .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
                .build()) {
            for (RawRow r : rows) {
                w.write(r.group());
            }
        }
        if (fs.exists(dst)) {
            throw new IOException(dst + " exists already; another process is compacting " + layout.cells()
                    + " (run `ternsweep compact` only while no driver uses the directory)");
        }
        if (!fs.rename(tmp, dst)) {
            throw new IOException("cannot rename " + tmp + " to " + dst + "; check that " + layout.cells()
                    + " is writable and on one file system");
        }
    }
}
