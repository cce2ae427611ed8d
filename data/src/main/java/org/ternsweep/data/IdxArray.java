package org.ternsweep.data;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import org.ternsweep.core.Sha256;

/**
 * The content of one IDX file of unsigned bytes: its dimensions (from the header) and its data,
 * row-major. {@code contentSha256} is the SHA-256 of the whole decompressed file (header included),
 * the value published for the official files.
 *
 * @param source        the file it was read from (named in every error about it)
 * @param dims          the dimensions declared by the header, each &gt; 0
 * @param data          exactly the product of {@code dims} bytes; shared, not copied
 * @param contentSha256 SHA-256 of the decompressed file
 */
public record IdxArray(Path source, int[] dims, byte[] data, String contentSha256) {
    public IdxArray {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(dims, "dims");
        Objects.requireNonNull(data, "data");
        long size = 1;
        for (int d : dims) {
            if (d <= 0) {
                throw new IllegalArgumentException(source + ": dimension " + d + " in " + Arrays.toString(dims)
                        + " must be positive");
            }
            size *= d;
        }
        if (size != data.length) {
            throw new IllegalArgumentException(source + ": dims " + Arrays.toString(dims) + " describe " + size
                    + " bytes but data has " + data.length);
        }
        if (!Sha256.isHex(contentSha256)) {
            throw new IllegalArgumentException(source + ": contentSha256 '" + contentSha256
                    + "' is not 64 lower-case hex digits");
        }
        dims = dims.clone();
    }

    /** The first dimension: the number of items (images or labels). */
    public int count() {
        return dims[0];
    }

    @Override
    public int[] dims() {
        return dims.clone();
    }
}
