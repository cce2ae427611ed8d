package org.ternsweep.core;

/**
 * Input the user can fix: a sweep file, an option value, a command-line value, an output directory that is locked
 * or not writable. Found before anything runs where possible; the CLI prints the message alone (no stack trace) and
 * exits with 2.
 */
public class BadInputException extends TernsweepException {
    private static final long serialVersionUID = 1L;

    public BadInputException(String message) {
        super(message);
    }

    public BadInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
