package org.ternsweep.models;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Assumptions;
import org.ternsweep.engine.Tensor;

/**
 * Test-only reader for the first {@code n} images of a gzip IDX Fashion-MNIST file (the product's
 * reader lives in org.ternsweep.data). Tests skip, not fail, where the dataset is not installed.
 */
final class FashionMnistSample {
    static final Path DIR = Path.of("/usr/share/datasets/fashion-mnist");

    final Tensor images;
    final int[] labels;

    private FashionMnistSample(Tensor images, int[] labels) {
        this.images = images;
        this.labels = labels;
    }

    static FashionMnistSample load(String split, int n) throws IOException {
        Path img = DIR.resolve(split + "-images-idx3-ubyte.gz");
        Path lab = DIR.resolve(split + "-labels-idx1-ubyte.gz");
        Assumptions.assumeTrue(Files.isReadable(img) && Files.isReadable(lab),
                "Fashion-MNIST not installed at " + DIR + " (apt-get install dataset-fashion-mnist)");
        float[] x;
        try (DataInputStream in = new DataInputStream(new GZIPInputStream(Files.newInputStream(img), 1 << 16))) {
            if (in.readInt() != 2051) {
                throw new IOException(img + " is not an IDX image file");
            }
            int count = Math.min(n, in.readInt());
            int rows = in.readInt();
            int cols = in.readInt();
            byte[] raw = in.readNBytes(count * rows * cols);
            x = new float[raw.length];
            for (int i = 0; i < raw.length; i++) {
                x[i] = (raw[i] & 0xff) / 255f;
            }
            n = count;
        }
        int[] y = new int[n];
        try (InputStream raw = new GZIPInputStream(Files.newInputStream(lab));
             DataInputStream in = new DataInputStream(raw)) {
            if (in.readInt() != 2049) {
                throw new IOException(lab + " is not an IDX label file");
            }
            in.readInt();
            byte[] b = in.readNBytes(n);
            for (int i = 0; i < n; i++) {
                y[i] = b[i];
            }
        }
        return new FashionMnistSample(new Tensor(x, n, 1, 28, 28), y);
    }
}
