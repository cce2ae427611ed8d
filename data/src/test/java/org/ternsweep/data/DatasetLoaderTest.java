package org.ternsweep.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.ternsweep.core.Sha256;

class DatasetLoaderTest {
    @TempDir
    Path tmp;

    /**
     * The installed Fashion-MNIST, checked against values computed independently with Python:
     * <pre>
     * raw = [gzip.open(f).read() for f in (train-images, train-labels, t10k-images, t10k-labels)]
     * hashlib.sha256(b''.join(raw)).hexdigest()
     * tri = np.frombuffer(raw[0], np.uint8, offset=16).reshape(-1, 28, 28); trl = ... offset=8
     * trl[:10], tel[:10], tri[0, 14, 14], tri[0].sum(), tri[59999, 10, 20], tei[0, 20, 10], np.bincount(trl)
     * </pre>
     * (python3 3.11, numpy 2.4.6, on the files of the Debian package dataset-fashion-mnist).
     */
    @Test
    void realFashionMnistMatchesIndependentReading() throws Exception {
        assumeTrue(Files.isDirectory(TestIdx.FASHION), "Fashion-MNIST not installed (sudo apt-get install"
                + " dataset-fashion-mnist)");
        ResolverConfig cfg = new ResolverConfig(null, ResolverConfig.DEBIAN_ROOT, tmp, false,
                Duration.ofSeconds(5));
        Dataset d = Datasets.load("fashion-mnist", cfg);
        assertEquals("14410854cf7a289477dcfc7df3f8ec24741e281cdcc425ede0d9a748ca630214", d.sha256());
        assertEquals(60_000, d.trainSize());
        assertEquals(10_000, d.testSize());
        assertArrayEquals(new int[] {9, 0, 0, 3, 0, 2, 7, 2, 5, 5}, d.trainLabels(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}));
        assertArrayEquals(new int[] {9, 2, 1, 1, 6, 1, 4, 6, 5, 7}, d.testLabels(0, 10));
        assertEquals(5, d.trainLabels()[59_999]);
        assertEquals(5, d.testLabels()[9_999]);
        int[] perClass = new int[10];
        for (int y : d.trainLabels()) {
            perClass[y]++;
        }
        assertArrayEquals(new int[] {6000, 6000, 6000, 6000, 6000, 6000, 6000, 6000, 6000, 6000}, perClass);

        assertEquals(217 / 255f, d.trainImages()[14 * 28 + 14]);
        assertEquals(19 / 255f, d.trainImages()[59_999 * 784 + 10 * 28 + 20]);
        assertEquals(126 / 255f, d.testImages()[20 * 28 + 10]);
        double sum0 = 0;
        for (int i = 0; i < 784; i++) {
            sum0 += d.trainImages()[i];
        }
        assertEquals(76_247 / 255.0, sum0, 1e-3);
        float min = Float.MAX_VALUE;
        float max = -Float.MAX_VALUE;
        for (float v : d.testImages()) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        assertEquals(0f, min);
        assertEquals(1f, max);

        INDArray batch = d.trainBatch(new int[] {59_999, 0});
        assertEquals(19 / 255f, batch.getFloat(0, 0, 10, 20));
        assertEquals(217 / 255f, batch.getFloat(1, 0, 14, 14));

        assertSame(d, Datasets.load("fashion-mnist", cfg), "second load in this JVM is served from the cache");
    }

    @Test
    void syntheticGzippedAndPlainGiveTheSameDatasetAndHash() throws Exception {
        TestIdx.writeDataset(tmp.resolve("gz"), 12, 5, true);
        TestIdx.writeDataset(tmp.resolve("plain"), 12, 5, false);
        DatasetSpec spec = TestIdx.spec("synthetic", 12, 5);
        Dataset a = DatasetLoader.load(spec, tmp.resolve("gz"));
        Dataset b = DatasetLoader.load(spec, tmp.resolve("plain"));
        assertEquals(a.sha256(), b.sha256());
        assertArrayEquals(a.trainImages(), b.trainImages());
        byte[] all = concat(TestIdx.images(12), TestIdx.labels(12), TestIdx.images(5), TestIdx.labels(5));
        assertEquals(Sha256.of(all), a.sha256(), "hash of the four decompressed files in order");
        assertEquals(((3 * 31 + 100) % 256) / 255f, a.trainImages()[3 * 784 + 100]);
        assertEquals(7, a.trainLabels()[7]);
    }

    @Test
    void labelCountDifferentFromImagesNamesTheLabelFile() throws Exception {
        Path dir = tmp.resolve("d");
        TestIdx.writeDataset(dir, 12, 5, true);
        Path labels = TestIdx.write(dir, "train-labels-idx1-ubyte", TestIdx.labels(11), true);
        DatasetException e = assertThrows(DatasetException.class,
                () -> DatasetLoader.load(TestIdx.spec("synthetic", 12, 5), dir));
        assertTrue(e.getMessage().startsWith(labels.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("wrong count: 11 labels for 12 images"), e.getMessage());
    }

    @Test
    void countDifferentFromTheSpecIsRejected() throws Exception {
        Path dir = tmp.resolve("d");
        TestIdx.writeDataset(dir, 12, 5, true);
        DatasetException e = assertThrows(DatasetException.class,
                () -> DatasetLoader.load(TestIdx.spec("synthetic", 13, 5), dir));
        assertTrue(e.getMessage().contains("train-images-idx3-ubyte.gz: wrong count: header declares 12 images but"
                + " synthetic has 13"), e.getMessage());
    }

    @Test
    void labelOutOfRangeIsRejected() throws Exception {
        Path dir = tmp.resolve("d");
        TestIdx.writeDataset(dir, 12, 5, false);
        byte[] bad = TestIdx.labels(5);
        bad[8 + 2] = 10;
        TestIdx.write(dir, "t10k-labels-idx1-ubyte", bad, false);
        DatasetException e = assertThrows(DatasetException.class,
                () -> DatasetLoader.load(TestIdx.spec("synthetic", 12, 5), dir));
        assertTrue(e.getMessage().contains("t10k-labels-idx1-ubyte: label 2 is 10"), e.getMessage());
    }

    @Test
    void contentHashDifferentFromThePublishedOneIsRejected() throws Exception {
        Path dir = tmp.resolve("d");
        TestIdx.writeDataset(dir, 12, 5, true);
        DatasetSpec base = TestIdx.spec("synthetic", 12, 5);
        DatasetSpec pinned = new DatasetSpec(base.name(),
                new DatasetFile("train-images-idx3-ubyte", null, "a".repeat(64)), base.trainLabels(),
                base.testImages(), base.testLabels(), 12, 5, 28, 28, 10, base.mirrors(), base.installHint());
        DatasetException e = assertThrows(DatasetException.class, () -> DatasetLoader.load(pinned, dir));
        assertTrue(e.getMessage().contains("train-images-idx3-ubyte.gz: content SHA-256 is "
                + Sha256.of(TestIdx.images(12))), e.getMessage());
    }

    @Test
    void truncatedFileFailsTheWholeLoad() throws Exception {
        Path dir = tmp.resolve("d");
        TestIdx.writeDataset(dir, 12, 5, false);
        byte[] raw = TestIdx.images(5);
        Files.write(dir.resolve("t10k-images-idx3-ubyte"), java.util.Arrays.copyOf(raw, raw.length - 1));
        DatasetException e = assertThrows(DatasetException.class,
                () -> DatasetLoader.load(TestIdx.spec("synthetic", 12, 5), dir));
        assertTrue(e.getMessage().contains("t10k-images-idx3-ubyte: truncated"), e.getMessage());
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int o = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, o, p.length);
            o += p.length;
        }
        return out;
    }
}
