package org.ternsweep.data;

import java.util.Objects;
import org.ternsweep.core.Sha256;

/**
 * One of a dataset's four IDX files and the hashes that identify it.
 *
 * @param baseName      the file name without {@code .gz}, e.g. {@code train-images-idx3-ubyte};
 *                      on disk either {@code baseName.gz} or {@code baseName} is accepted
 * @param archiveSha256 SHA-256 of the {@code .gz} as the official source serves it: a download is
 *                      kept only if it matches; {@code null} when unknown (download refused)
 * @param contentSha256 SHA-256 of the decompressed file: a file found anywhere must match;
 *                      {@code null} for a dataset without published hashes (no check)
 */
public record DatasetFile(String baseName, String archiveSha256, String contentSha256) {
    public DatasetFile {
        Objects.requireNonNull(baseName, "baseName");
        if (baseName.isBlank() || baseName.contains("/") || baseName.endsWith(".gz")) {
            throw new IllegalArgumentException("baseName '" + baseName
                    + "' must be a plain file name without directory and without .gz");
        }
        if (archiveSha256 != null && !Sha256.isHex(archiveSha256)) {
            throw new IllegalArgumentException(baseName + ": archiveSha256 '" + archiveSha256
                    + "' must be 64 lower-case hex digits or null");
        }
        if (contentSha256 != null && !Sha256.isHex(contentSha256)) {
            throw new IllegalArgumentException(baseName + ": contentSha256 '" + contentSha256
                    + "' must be 64 lower-case hex digits or null");
        }
    }

    /** The compressed file name, as served for download. */
    public String archiveName() {
        return baseName + ".gz";
    }
}
