package org.ternsweep.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.ternsweep.core.Sha256;

/**
 * Reads CIFAR-10's binary version straight from its archive ({@code cifar-10-binary.tar.gz}, or the
 * decompressed {@code .tar}), without unpacking it. Of the archive's members only the six record files are read,
 * found by their file name in any folder ({@code cifar-10-batches-bin/} in the official archive):
 * {@code data_batch_1.bin} … {@code data_batch_5.bin} form the training split in that order, {@code test_batch.bin}
 * the test split. Each record is one label byte followed by 3072 pixel bytes, the red, green and blue 32×32 planes
 * in turn, each row-major: exactly the engine's channel-major layout, so pixels are copied in order and scaled by
 * 1/255 like Fashion-MNIST's.
 *
 * <p>The dataset's SHA-256 is computed over the six files' bytes concatenated in that order, so the same data
 * gives the same hash whether the tar was gzipped or not (reproduce it with {@code cat data_batch_{1..5}.bin
 * test_batch.bin | sha256sum}).
 */
public final class CifarReader {
    /** The record files, in the order of the dataset's hash: the five training batches, then the test batch. */
    public static final List<String> MEMBERS = List.of("data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin",
            "data_batch_4.bin", "data_batch_5.bin", "test_batch.bin");
    private static final long MAX_MEMBER_BYTES = 1L << 30;

    private CifarReader() {
    }

    /**
     * Loads {@code spec}'s images and labels from {@code archive}.
     *
     * @throws DatasetException naming the archive and the member if it is unreadable, a member is missing, twice
     *                          there or not whole records, the counts differ from the spec's, or a label is out of
     *                          range
     */
    public static Dataset load(DatasetSpec spec, Path archive) throws DatasetException {
        int record = 1 + spec.channels() * spec.rows() * spec.cols();
        Map<String, byte[]> members = members(archive);
        MessageDigest all = Sha256.newDigest();
        for (String m : MEMBERS) {
            byte[] b = members.get(m);
            if (b == null) {
                throw new DatasetException(archive + ": member " + m + " is missing; a " + spec.name() + " archive"
                        + " holds " + MEMBERS + "; the file is incomplete or not the binary version");
            }
            if (b.length % record != 0) {
                throw new DatasetException(archive + ": member " + m + " has " + b.length + " bytes, not a whole"
                        + " number of " + record + "-byte records (1 label byte + " + (record - 1) + " pixel bytes)");
            }
            all.update(b);
        }
        int train = 0;
        for (String m : MEMBERS.subList(0, 5)) {
            train += members.get(m).length / record;
        }
        int test = members.get("test_batch.bin").length / record;
        if (train != spec.trainCount() || test != spec.testCount()) {
            throw new DatasetException(archive + ": holds " + train + " training and " + test + " test records but "
                    + spec.name() + " has " + spec.trainCount() + " and " + spec.testCount()
                    + "; the file is from another dataset or truncated");
        }
        float[] trX = new float[train * (record - 1)];
        int[] trY = new int[train];
        int at = 0;
        for (String m : MEMBERS.subList(0, 5)) {
            at = decode(spec, archive, m, members.get(m), record, trX, trY, at);
        }
        float[] teX = new float[test * (record - 1)];
        int[] teY = new int[test];
        decode(spec, archive, "test_batch.bin", members.get("test_batch.bin"), record, teX, teY, 0);
        return new Dataset(spec.name(), spec.shape(), trX, trY, teX, teY, Sha256.hex(all));
    }

    /** Decodes {@code b}'s records into {@code x}/{@code y} from example {@code from}; returns the next index. */
    private static int decode(DatasetSpec spec, Path archive, String member, byte[] b, int record, float[] x, int[] y,
                              int from) throws DatasetException {
        int pixels = record - 1;
        int n = b.length / record;
        for (int i = 0; i < n; i++) {
            int label = b[i * record] & 0xff;
            if (label >= spec.classes()) {
                throw new DatasetException(archive + ": member " + member + ", record " + i + " has label " + label
                        + "; " + spec.name() + " labels are in [0, " + spec.classes() + ")");
            }
            y[from + i] = label;
            int src = i * record + 1;
            int dst = (from + i) * pixels;
            for (int p = 0; p < pixels; p++) {
                x[dst + p] = (b[src + p] & 0xff) / 255f;
            }
        }
        return from + n;
    }

    private static Map<String, byte[]> members(Path archive) throws DatasetException {
        Map<String, byte[]> out = new LinkedHashMap<>();
        try (InputStream file = new BufferedInputStream(Files.newInputStream(archive));
             InputStream raw = archive.getFileName().toString().endsWith(".gz") ? new GZIPInputStream(file) : file;
             TarArchiveInputStream tar = new TarArchiveInputStream(raw)) {
            TarArchiveEntry e;
            while ((e = tar.getNextTarEntry()) != null) {
                String name = e.getName().substring(e.getName().lastIndexOf('/') + 1);
                if (!e.isFile() || !MEMBERS.contains(name)) {
                    continue;
                }
                if (out.containsKey(name)) {
                    throw new DatasetException(archive + ": member " + name + " appears twice (" + e.getName() + ")");
                }
                if (e.getSize() > MAX_MEMBER_BYTES) {
                    throw new DatasetException(archive + ": member " + e.getName() + " has " + e.getSize()
                            + " bytes, more than a record file can");
                }
                out.put(name, tar.readAllBytes());
            }
        } catch (IOException e) {
            throw new DatasetException(archive + ": not a readable tar" + (archive.toString().endsWith(".gz")
                    ? ".gz" : "") + " archive: " + e.getMessage(), e);
        }
        return out;
    }
}
