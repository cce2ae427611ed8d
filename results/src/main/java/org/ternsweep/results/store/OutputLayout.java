package org.ternsweep.results.store;

import java.util.Objects;
import org.apache.hadoop.fs.Path;

/**
 * The paths of one sweep's output directory (docs/results-schema.md). Names starting with
 * {@code _} are skipped by Spark and other Parquet readers, so the in-flight files under
 * {@code cells/_tmp} are never read as results.
 *
 * @param root the output directory as a Hadoop path string (a plain local path or a URI)
 */
public record OutputLayout(String root) implements java.io.Serializable {
    public OutputLayout {
        Objects.requireNonNull(root, "root");
        if (root.isBlank()) {
            throw new IllegalArgumentException("output directory must not be blank");
        }
    }

    public Path rootPath() {
        return new Path(root);
    }

    public Path cells() {
        return new Path(rootPath(), "cells");
    }

    /** Where a task writes before the rename; one name per task attempt. */
    public Path tmpCell(String cellId, String attempt) {
        return new Path(new Path(cells(), "_tmp"), cellId + "." + attempt + ".parquet");
    }

    public Path cell(String cellId) {
        return new Path(cells(), cellId + ".parquet");
    }

    /** The {@code n}-th compacted file of {@code ternsweep compact}: many cell rows in one file. */
    public Path compacted(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("compacted file number " + n + " must be >= 1");
        }
        return new Path(cells(), COMPACTED_PREFIX + n + ".parquet");
    }

    /** The file name prefix of compacted files; a cell id (hex) never starts with it. */
    public static final String COMPACTED_PREFIX = "compacted-";

    /** The number of a compacted file's name, or -1 when {@code name} is not a compacted file's. */
    public static int compactedNumber(String name) {
        if (!name.startsWith(COMPACTED_PREFIX) || !name.endsWith(".parquet")) {
            return -1;
        }
        String digits = name.substring(COMPACTED_PREFIX.length(), name.length() - ".parquet".length());
        return digits.matches("[1-9][0-9]{0,8}") ? Integer.parseInt(digits) : -1;
    }

    public Path sweepYaml() {
        return new Path(rootPath(), "sweep.yaml");
    }

    public Path summary() {
        return new Path(rootPath(), "summary.parquet");
    }

    /** The paired comparisons of the sweep's operators (one Parquet file). */
    public Path comparisons() {
        return new Path(rootPath(), "comparisons.parquet");
    }

    public Path lock() {
        return new Path(rootPath(), "_lock");
    }
}
