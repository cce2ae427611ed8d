package org.ternsweep.data;

import org.ternsweep.core.MissingDataException;

/**
 * A dataset could not be found, read or verified. The message names the file (or every place
 * tried) and what was wrong, and says what to do next.
 */
public class DatasetException extends MissingDataException {
    private static final long serialVersionUID = 1L;

    public DatasetException(String message) {
        super(message);
    }

    public DatasetException(String message, Throwable cause) {
        super(message, cause);
    }
}
