package org.ternsweep.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.ternsweep.core.Sha256;

/**
 * Reads IDX files, the format of MNIST and Fashion-MNIST (LeCun et al., "The MNIST database",
 * http://yann.lecun.com/exdb/mnist/): a 4-byte magic number {@code 00 00 08 n} (unsigned bytes,
 * {@code n} dimensions), {@code n} big-endian int32 sizes, then the data, row-major.
 *
 * <p>Both gzip-compressed and plain files are accepted; the choice is made from the file's first
 * two bytes, not its name. Validation is strict, because a partial dataset would silently change
 * every accuracy downstream: the magic number, the number of dimensions, each size, the exact data
 * length (no missing and no trailing bytes) and the gzip stream's own CRC are all checked, and any
 * failure is a {@link DatasetException} naming the file and what was wrong.
 */
public final class IdxReader {
    /** The IDX type code for unsigned bytes, the only type the image datasets use. */
    static final int TYPE_UBYTE = 0x08;
    private static final int GZIP_MAGIC = 0x1f8b;
    private static final long MAX_BYTES = Integer.MAX_VALUE - 64;

    private IdxReader() {
    }

    /**
     * Reads an IDX file of unsigned bytes with {@code expectedDims} dimensions.
     *
     * @throws DatasetException if the file is missing, truncated, corrupt or not the expected shape
     */
    public static IdxArray read(Path file, int expectedDims) throws DatasetException {
        return read(file, expectedDims, null);
    }

    /**
     * As {@link #read(Path, int)}, also feeding the decompressed bytes to {@code alsoDigest} (used to
     * hash several files in a fixed order without reading them twice).
     */
    static IdxArray read(Path file, int expectedDims, MessageDigest alsoDigest) throws DatasetException {
        MessageDigest own = Sha256.newDigest();
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            InputStream decompressed = isGzip(raw) ? new GZIPInputStream(raw, 1 << 16) : raw;
            InputStream hashed = new DigestInputStream(decompressed, own);
            if (alsoDigest != null) {
                hashed = new DigestInputStream(hashed, alsoDigest);
            }
            DataInputStream in = new DataInputStream(hashed);
            int[] dims = readHeader(file, in, expectedDims);
            long size = 1;
            for (int d : dims) {
                size *= d;
            }
            if (size > MAX_BYTES) {
                throw new DatasetException(file + ": header declares " + size + " data bytes, more than a Java array"
                        + " holds; this is not an image dataset file");
            }
            byte[] data = in.readNBytes((int) size);
            if (data.length != size) {
                throw new DatasetException(file + ": truncated: header declares " + size + " data bytes but the file"
                        + " holds only " + data.length + "; delete the file and fetch it again");
            }
            if (in.read() != -1) {
                throw new DatasetException(file + ": has trailing bytes after the " + size
                        + " data bytes its header declares; the file is corrupt or not an IDX file");
            }
            return new IdxArray(file, dims, data, Sha256.hex(own));
        } catch (NoSuchFileException e) {
            throw new DatasetException(file + ": no such file", e);
        } catch (EOFException | ZipException e) {
            throw new DatasetException(file + ": truncated or corrupt gzip stream (" + e.getMessage()
                    + "); delete the file and fetch it again", e);
        } catch (IOException e) {
            throw new DatasetException(file + ": cannot be read: " + e, e);
        }
    }

    private static boolean isGzip(InputStream in) throws IOException {
        in.mark(2);
        int b0 = in.read();
        int b1 = in.read();
        in.reset();
        return b0 >= 0 && b1 >= 0 && ((b0 << 8) | b1) == GZIP_MAGIC;
    }

    private static int[] readHeader(Path file, DataInputStream in, int expectedDims) throws IOException {
        byte[] magic = in.readNBytes(4);
        if (magic.length < 4) {
            throw new DatasetException(file + ": truncated: " + magic.length
                    + " bytes, shorter than the 4-byte IDX magic number");
        }
        int type = magic[2] & 0xff;
        int ndims = magic[3] & 0xff;
        if (magic[0] != 0 || magic[1] != 0 || type != TYPE_UBYTE || ndims != expectedDims) {
            throw new DatasetException(String.format(
                    "%s: wrong magic number 0x%02x%02x%02x%02x; expected 0x000008%02x (IDX, unsigned bytes, %d"
                            + " dimensions); is this the right file (images have 3 dimensions, labels 1)?",
                    file, magic[0] & 0xff, magic[1] & 0xff, type, ndims, expectedDims, expectedDims));
        }
        int[] dims = new int[ndims];
        for (int i = 0; i < ndims; i++) {
            byte[] b = in.readNBytes(4);
            if (b.length < 4) {
                throw new DatasetException(file + ": truncated inside the header (dimension " + i + " of " + ndims
                        + ")");
            }
            dims[i] = ((b[0] & 0xff) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff);
            if (dims[i] <= 0) {
                throw new DatasetException(file + ": dimension " + i + " is " + dims[i] + " in the header; every"
                        + " dimension must be positive");
            }
        }
        return dims;
    }
}
