package org.ternsweep.data;

import java.io.IOException;

/**
 * A dataset could not be found, read or verified. The message names the file (or every place
 * tried) and what was wrong, and says what to do next. It is an {@link IOException} because every
 * cause is a problem with files or the network, and callers already handle those.
 */
public class DatasetException extends IOException {
    private static final long serialVersionUID = 1L;

    public DatasetException(String message) {
        super(message);
    }

    public DatasetException(String message, Throwable cause) {
        super(message, cause);
    }
}
