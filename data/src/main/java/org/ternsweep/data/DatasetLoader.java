package org.ternsweep.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Optional;
import org.ternsweep.core.Sha256;

/**
 * Reads a dataset's files from one directory into a {@link Dataset}: CIFAR-10's archive through
 * {@link CifarReader}, and the four IDX files here, checking everything a
 * partial or wrong file could break: each file's structure ({@link IdxReader}), its content SHA-256
 * against the published one, the image size, the example counts, that images and labels agree, and
 * the label range.
 *
 * <p>The dataset's SHA-256 is computed over the four decompressed files concatenated in the order of
 * {@link DatasetSpec#files()}, so the same data gives the same hash whether it came gzipped from
 * Debian, gzipped from upstream or uncompressed. Reproduce it with
 * {@code zcat train-images-idx3-ubyte.gz train-labels-idx1-ubyte.gz t10k-images-idx3-ubyte.gz
 * t10k-labels-idx1-ubyte.gz | sha256sum}.
 */
public final class DatasetLoader {
    private DatasetLoader() {
    }

    /**
     * The file for {@code f} in {@code dir}: {@code <baseName>.gz} if present, else the plain
     * {@code <baseName>}.
     */
    public static Optional<Path> find(Path dir, DatasetFile f) {
        Path gz = dir.resolve(f.archiveName());
        if (Files.isRegularFile(gz)) {
            return Optional.of(gz);
        }
        Path plain = dir.resolve(f.baseName());
        return Files.isRegularFile(plain) ? Optional.of(plain) : Optional.empty();
    }

    /**
     * Loads the dataset described by {@code spec} from {@code dir}.
     *
     * @throws DatasetException naming the file and the problem if anything is missing or wrong
     */
    public static Dataset load(DatasetSpec spec, Path dir) throws DatasetException {
        if (spec.format() == DatasetSpec.Format.CIFAR_BINARY) {
            DatasetFile archive = spec.files().get(0);
            return CifarReader.load(spec, find(dir, archive).orElseThrow(() -> new DatasetException(spec.name()
                    + ": neither " + dir.resolve(archive.archiveName()) + " nor " + dir.resolve(archive.baseName())
                    + " exists")));
        }
        MessageDigest all = Sha256.newDigest();
        IdxArray trainImages = read(spec, dir, spec.trainImages(), 3, all);
        IdxArray trainLabels = read(spec, dir, spec.trainLabels(), 1, all);
        IdxArray testImages = read(spec, dir, spec.testImages(), 3, all);
        IdxArray testLabels = read(spec, dir, spec.testLabels(), 1, all);
        float[] trX = images(spec, trainImages, spec.trainCount());
        int[] trY = labels(spec, trainLabels, spec.trainCount(), trainImages);
        float[] teX = images(spec, testImages, spec.testCount());
        int[] teY = labels(spec, testLabels, spec.testCount(), testImages);
        return new Dataset(spec.name(), spec.shape(), trX, trY, teX, teY, Sha256.hex(all));
    }

    private static IdxArray read(DatasetSpec spec, Path dir, DatasetFile f, int dims, MessageDigest all)
            throws DatasetException {
        Path file = find(dir, f).orElseThrow(() -> new DatasetException(spec.name() + ": neither "
                + dir.resolve(f.archiveName()) + " nor " + dir.resolve(f.baseName()) + " exists"));
        IdxArray a = IdxReader.read(file, dims, all);
        if (f.contentSha256() != null && !f.contentSha256().equals(a.contentSha256())) {
            throw new DatasetException(file + ": content SHA-256 is " + a.contentSha256() + " but the official "
                    + spec.name() + " file has " + f.contentSha256() + "; the file is corrupt or from another dataset:"
                    + " delete it and install or download it again");
        }
        return a;
    }

    private static float[] images(DatasetSpec spec, IdxArray a, int expectedCount) throws DatasetException {
        int[] d = a.dims();
        if (d[1] != spec.rows() || d[2] != spec.cols()) {
            throw new DatasetException(a.source() + ": images are " + d[1] + "x" + d[2] + " but " + spec.name()
                    + " images are " + spec.rows() + "x" + spec.cols());
        }
        if (d[0] != expectedCount) {
            throw new DatasetException(a.source() + ": wrong count: header declares " + d[0] + " images but "
                    + spec.name() + " has " + expectedCount + "; the file is from another dataset or split");
        }
        byte[] raw = a.data();
        float[] out = new float[raw.length];
        for (int i = 0; i < raw.length; i++) {
            out[i] = (raw[i] & 0xff) / 255f;
        }
        return out;
    }

    private static int[] labels(DatasetSpec spec, IdxArray a, int expectedCount, IdxArray images)
            throws DatasetException {
        if (a.count() != images.count()) {
            throw new DatasetException(a.source() + ": wrong count: " + a.count() + " labels for " + images.count()
                    + " images in " + images.source() + "; the two files must come from the same split");
        }
        if (a.count() != expectedCount) {
            throw new DatasetException(a.source() + ": wrong count: header declares " + a.count() + " labels but "
                    + spec.name() + " has " + expectedCount);
        }
        byte[] raw = a.data();
        int[] out = new int[raw.length];
        for (int i = 0; i < raw.length; i++) {
            out[i] = raw[i] & 0xff;
            if (out[i] >= spec.classes()) {
                throw new DatasetException(a.source() + ": label " + i + " is " + out[i] + "; " + spec.name()
                        + " labels are in [0, " + spec.classes() + ")");
            }
        }
        return out;
    }
}
