package org.ternsweep.core;

/**
 * The root of ternsweep's own failures, one subclass per kind the user must tell apart: {@link BadInputException}
 * (fix the sweep file, option or command line), {@link MissingDataException} (a dataset is missing or corrupt),
 * {@link NumericalFailureException} (a cell's numbers left the finite range). Each message says what was wrong and
 * what to do next. Any other exception is an internal error — a bug — and is reported with its stack trace; the CLI
 * derives its exit codes from this hierarchy (README, "Commands").
 */
public abstract class TernsweepException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    protected TernsweepException(String message) {
        super(message);
    }

    protected TernsweepException(String message, Throwable cause) {
        super(message, cause);
    }
}
