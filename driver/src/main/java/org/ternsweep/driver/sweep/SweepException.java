package org.ternsweep.driver.sweep;

import org.ternsweep.core.BadInputException;

/**
 * A sweep file (or a {@code --set} override) that cannot be run. The message names the file, the
 * line (or the override), the key, what was wrong and what is allowed, and says what to do next; the
 * fields carry the same facts for tests and tools. Nothing runs when one is thrown.
 */
public final class SweepException extends BadInputException {
    private final String file;
    private final int line;
    private final String key;
    private final String allowed;

    /**
     * @param file    the sweep file as the user named it
     * @param origin  where the value came from: "line 12" or "--set seeds=[0,1]"
     * @param line    1-based line in the file, or -1 when the value came from the command line
     * @param key     the key path, e.g. {@code operators[1].mquant.level}
     * @param problem what is wrong with the value
     * @param allowed what is allowed there
     */
    public SweepException(String file, String origin, int line, String key, String problem, String allowed) {
        this(file, origin, line, key, problem, allowed, null);
    }

    public SweepException(String file, String origin, int line, String key, String problem, String allowed,
                          Throwable cause) {
        super("sweep file " + file + ", " + origin + ", key '" + key + "': " + problem
                + (allowed == null || allowed.isEmpty() ? "" : "; allowed: " + allowed)
                + ". Fix it and check with `ternsweep validate " + file + "`.", cause);
        this.file = file;
        this.line = line;
        this.key = key;
        this.allowed = allowed;
    }

    public String file() {
        return file;
    }

    /** 1-based line number, or -1 when the offending value came from a {@code --set} override. */
    public int line() {
        return line;
    }

    public String key() {
        return key;
    }

    public String allowed() {
        return allowed;
    }
}
