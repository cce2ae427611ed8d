package org.ternsweep.data;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Test support: writes small synthetic IDX files and a small dataset spec without published hashes. */
final class TestIdx {
    static final Path FASHION = Path.of("/usr/share/datasets/fashion-mnist");

    private TestIdx() {
    }

    /** The bytes of an IDX file of unsigned bytes. */
    static byte[] idx(int[] dims, byte[] data) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bos);
        out.write(new byte[] {0, 0, 8, (byte) dims.length});
        for (int d : dims) {
            out.writeInt(d);
        }
        out.write(data);
        out.flush();
        return bos.toByteArray();
    }

    static byte[] gzip(byte[] raw) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (OutputStream gz = new GZIPOutputStream(bos)) {
            gz.write(raw);
        }
        return bos.toByteArray();
    }

    /** Images {@code [n, 28, 28]} whose pixel p of image i is {@code (i * 31 + p) % 256}. */
    static byte[] images(int n) throws IOException {
        byte[] data = new byte[n * 784];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (((i / 784) * 31 + i % 784) % 256);
        }
        return idx(new int[] {n, 28, 28}, data);
    }

    /** Labels {@code i % 10}. */
    static byte[] labels(int n) throws IOException {
        byte[] data = new byte[n];
        for (int i = 0; i < n; i++) {
            data[i] = (byte) (i % 10);
        }
        return idx(new int[] {n}, data);
    }

    /** A spec for a synthetic dataset of {@code train}/{@code test} examples, without hashes. */
    static DatasetSpec spec(String name, int train, int test) {
        return new DatasetSpec(name,
                new DatasetFile("train-images-idx3-ubyte", null, null),
                new DatasetFile("train-labels-idx1-ubyte", null, null),
                new DatasetFile("t10k-images-idx3-ubyte", null, null),
                new DatasetFile("t10k-labels-idx1-ubyte", null, null),
                train, test, 28, 28, 10, java.util.List.of(), "use the synthetic files");
    }

    /** Writes a complete synthetic dataset into {@code dir}, gzipped or plain. */
    static void writeDataset(Path dir, int train, int test, boolean gz) throws IOException {
        Files.createDirectories(dir);
        write(dir, "train-images-idx3-ubyte", images(train), gz);
        write(dir, "train-labels-idx1-ubyte", labels(train), gz);
        write(dir, "t10k-images-idx3-ubyte", images(test), gz);
        write(dir, "t10k-labels-idx1-ubyte", labels(test), gz);
    }

    static Path write(Path dir, String base, byte[] raw, boolean gz) throws IOException {
        Path p = dir.resolve(gz ? base + ".gz" : base);
        Files.write(p, gz ? gzip(raw) : raw);
        return p;
    }

    /** Creates the four file names (empty) in {@code dir}: enough for resolution, not for loading. */
    static void touchAll(Path dir, DatasetSpec spec) throws IOException {
        Files.createDirectories(dir);
        for (DatasetFile f : spec.files()) {
            Files.write(dir.resolve(f.archiveName()), new byte[0]);
        }
    }
}
