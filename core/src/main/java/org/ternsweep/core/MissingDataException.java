package org.ternsweep.core;

/**
 * Data a run needs is missing, unreadable or not what it should be (a dataset not found anywhere, a truncated or
 * corrupt file, a checksum mismatch). Inside a cell it makes the cell FAILED with this class and message; where it
 * stops the CLI, the message is printed alone and the exit code is 3.
 */
public class MissingDataException extends TernsweepException {
    private static final long serialVersionUID = 1L;

    public MissingDataException(String message) {
        super(message);
    }

    public MissingDataException(String message, Throwable cause) {
        super(message, cause);
    }
}
