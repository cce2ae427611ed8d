package org.ternsweep.results.store;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Objects;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.Path;
import org.ternsweep.core.BadInputException;

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

    /** A Hadoop URI ({@code hdfs://nn/runs}, {@code file:/tmp/x}): a scheme, ':' and a '/'. */
    private static final Pattern URI_FORM = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*:/.*", Pattern.DOTALL);

    private static final String ALLOWED = "a local directory whose names contain no ':', or a Hadoop URI such as"
            + " hdfs://namenode:8020/runs/x; the path is taken literally (a space, '%', '#' or a non-ASCII letter"
            + " names itself, nothing is percent-decoded)";

    /**
     * The layout of an output directory as a user gave it ({@code --out}, the OUT-DIR of {@code report} and
     * {@code compact}), checked against Hadoop's path rules before anything is created. A local path is kept as
     * plain text, never turned into a {@code file:} URI: Hadoop reads a path string literally, so a URI's
     * percent-encoding would become part of the directory's name. A ':' inside a local name is refused because
     * Hadoop reads what precedes it as a URI scheme, and cannot list a directory holding such a name.
     *
     * @param what how the path was given, for the message (e.g. {@code --out})
     * @throws BadInputException naming the path and what is allowed
     */
    public static OutputLayout forUserPath(String dir, String what) {
        if (dir == null || dir.isBlank()) {
            throw new BadInputException(what + " is empty; allowed: " + ALLOWED);
        }
        String path = dir;
        if (URI_FORM.matcher(dir).matches()) {
            try {
                URI uri = new URI(dir);
                path = uri.getRawPath() == null ? "" : uri.getRawPath();
            } catch (URISyntaxException e) {
                throw new BadInputException(what + " " + dir + " is not a valid URI (" + e.getReason() + " at index "
                        + e.getIndex() + "); allowed: " + ALLOWED, e);
            }
        }
        if (path.indexOf(':') >= 0) {
            throw new BadInputException(what + " " + dir + ": a directory or file name in the path contains ':',"
                    + " which Hadoop reads as the end of a URI scheme; nothing was created. Allowed: " + ALLOWED);
        }
        try {
            java.nio.file.Path.of(path.isEmpty() ? "/" : path); // InvalidPathException is an IllegalArgumentException
            new Path(dir);
        } catch (IllegalArgumentException e) {
            throw new BadInputException(what + " " + dir + " is not a usable path (" + e.getMessage() + "); allowed: "
                    + ALLOWED, e);
        }
        return new OutputLayout(dir);
    }

    public Path rootPath() {
        return new Path(root);
    }

    public Path cells() {
        return new Path(rootPath(), "cells");
    }

    /** Where a task writes before the rename; one name per task attempt. */
    public Path tmpCell(String cellId, String attempt) {
        return new Path(tmp(), cellId + "." + attempt + ".parquet");
    }

    /** Where unreadable cell files are moved ({@link CellReader#moveAside}); no reader lists it. */
    public Path corrupt() {
        return new Path(cells(), "_corrupt");
    }

    /** Where tasks and the compactor write before renaming into {@link #cells()}. */
    public Path tmp() {
        return new Path(cells(), "_tmp");
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
