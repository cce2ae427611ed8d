package org.ternsweep.driver.store;

import org.ternsweep.core.BadInputException;

/**
 * The output directory (or its {@code cells/} tree) cannot be created or written by the driver. Found
 * before any cell runs, so no computation is lost; the CLI prints the message (which names the path and
 * what to do) and exits with 2, as for other bad input.
 */
public final class OutputNotWritableException extends BadInputException {
    public OutputNotWritableException(String message, Throwable cause) {
        super(message, cause);
    }
}
