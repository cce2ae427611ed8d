package org.ternsweep.driver.store;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.ternsweep.core.CellResult;
import org.ternsweep.results.model.CellRow;
import org.ternsweep.results.store.CellCompactor;
import org.ternsweep.results.store.CellParquetWriter;
import org.ternsweep.results.store.CellReader;
import org.ternsweep.results.store.OutputLayout;

/**
 * The {@code cells/} directory: one Parquet file per cell, named by cellId. A task writes to
 * {@code cells/_tmp/<cellId>.<attempt>.parquet} and renames over {@code cells/<cellId>.parquet}, so
 * a reader sees either the old file or the new one, never half a file, and a retried or speculative
 * task replaces the row instead of adding a second one. {@code ternsweep compact} later merges the
 * files into {@code cells/compacted-<n>.parquet} ({@link CellCompactor}); every reader keeps, per cell,
 * the newest row ({@link CellReader}).
 */
public final class CellStore {
    private final OutputLayout layout;

    public CellStore(OutputLayout layout) {
        this.layout = layout;
    }

    public OutputLayout layout() {
        return layout;
    }

    /**
     * Writes the result durably and atomically (for file systems with an atomic rename: local, HDFS).
     *
     * @param attempt a name unique to this task attempt, e.g. "t17a0"
     */
    public void write(CellResult result, Instant finishedAt, String attempt, Configuration conf) throws IOException {
        Path tmp = layout.tmpCell(result.cellId(), attempt);
        Path dst = layout.cell(result.cellId());
        FileSystem fs = tmp.getFileSystem(conf);
        CellParquetWriter.write(result, finishedAt, tmp, conf);
        if (!fs.rename(tmp, dst)) {
            // Hadoop's rename refuses to replace an existing file on some file systems (HDFS): the
            // old row of a FAILED cell being rerun, or a speculative twin's. Replace it explicitly.
            if (fs.exists(dst) && !fs.delete(dst, false)) {
                throw new IOException("cannot replace " + dst + " with the new result of cell " + result.cellId()
                        + "; check write permissions on " + layout.cells());
            }
            if (!fs.rename(tmp, dst)) {
                throw new IOException("cannot rename " + tmp + " to " + dst + "; check that " + layout.cells()
                        + " is writable and on one file system");
            }
        }
    }

    /**
     * Checks, on the driver, that cell files can be written: creates and deletes a probe file in
     * {@code cells/_tmp}, where tasks write. Run before the fan-out, so an unwritable directory stops the
     * run before any cell is computed, and the cells already stored stay as they are.
     *
     * @throws OutputNotWritableException naming the directory
     */
    public void checkWritable(Configuration conf) throws IOException {
        Path dir = layout.tmp();
        Path probe = new Path(dir, "_probe-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
        try {
            FileSystem fs = dir.getFileSystem(conf);
            if (!fs.mkdirs(dir)) {
                throw new IOException("mkdirs returned false");
            }
            fs.create(probe, false).close();
            if (!fs.delete(probe, false)) {
                throw new IOException("cannot delete the probe file " + probe);
            }
        } catch (IOException e) {
            throw new OutputNotWritableException("cannot write cell files under " + dir + " (" + e.getMessage()
                    + "); the tasks write there before renaming into " + layout.cells() + ". Make " + layout.cells()
                    + " and " + dir + " writable directories (the stored cells are untouched), or choose another --out",
                    e);
        }
    }

    /**
     * cellId → status of every cell already stored; empty when none. Read through {@link CellReader}, the
     * one reader of cell rows, so the resume scan counts the same row of a cell as the report and the
     * compactor (the newest; see {@link CellReader} for the rule). An unreadable cell file (truncated,
     * garbage, a stale checksum) is moved to {@code cells/_corrupt/} and reported to {@code warn} in one
     * line; its cells count as not stored and run again. The caller holds the output directory's lock.
     */
    public Map<String, CellRow.Status> statuses(Configuration conf, Consumer<String> warn) throws IOException {
        List<CellReader.Unreadable> unreadable = new ArrayList<>();
        Map<String, CellRow.Status> statuses = CellReader.statuses(layout, conf, unreadable::add);
        for (CellReader.Unreadable u : unreadable) {
            Path to = CellReader.moveAside(layout, conf, u);
            warn.accept("warning: cell file " + u.file() + " is unreadable (" + u.reason() + "); moved it to " + to
                    + ", its cells run again");
        }
        return statuses;
    }

    /**
     * Deletes what a crashed or interrupted run (a killed driver, a full disk) left in {@code cells/_tmp}: no
     * reader lists it, so it would only take space. The caller holds the output directory's lock, so no task
     * of a live driver writes there.
     *
     * @return the number of files deleted (checksum files not counted)
     */
    public int cleanTmp(Configuration conf) throws IOException {
        Path dir = layout.tmp();
        FileSystem fs = dir.getFileSystem(conf);
        if (!fs.exists(dir) || !fs.getFileStatus(dir).isDirectory()) {
            // not a directory: checkWritable names the problem when a task would write there
            return 0;
        }
        int deleted = 0;
        for (FileStatus f : fs.listStatus(dir)) {
            String name = f.getPath().getName();
            if (name.startsWith(".") && name.endsWith(".crc")) {
                // the local file system deletes a file's checksum with it; an orphan one goes below
                if (fs.exists(f.getPath())) {
                    fs.delete(f.getPath(), false);
                }
                continue;
            }
            if (!fs.delete(f.getPath(), true)) {
                throw new IOException("cannot delete " + f.getPath() + ", left in " + dir + " by an interrupted run;"
                        + " check write permissions on " + dir);
            }
            deleted++;
        }
        return deleted;
    }
}
