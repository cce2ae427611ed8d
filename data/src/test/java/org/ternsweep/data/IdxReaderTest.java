package org.ternsweep.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ternsweep.core.Sha256;

class IdxReaderTest {
    @TempDir
    Path tmp;

    @Test
    void readsGzippedAndPlainFilesAlike() throws Exception {
        byte[] raw = TestIdx.images(3);
        Path gz = TestIdx.write(tmp, "a", raw, true);
        Path plain = TestIdx.write(tmp, "b", raw, false);
        IdxArray x = IdxReader.read(gz, 3);
        IdxArray y = IdxReader.read(plain, 3);
        assertArrayEquals(new int[] {3, 28, 28}, x.dims());
        assertArrayEquals(x.data(), y.data());
        assertEquals(Sha256.of(raw), x.contentSha256(), "content hash is of the decompressed file");
        assertEquals(x.contentSha256(), y.contentSha256());
        assertEquals((byte) ((2 * 31 + 5) % 256), x.data()[2 * 784 + 5]);
    }

    @Test
    void truncatedGzipNamesTheFile() throws Exception {
        byte[] gz = TestIdx.gzip(TestIdx.images(50));
        Path p = tmp.resolve("cut.gz");
        Files.write(p, Arrays.copyOf(gz, gz.length / 2));
        DatasetException e = assertThrows(DatasetException.class, () -> IdxReader.read(p, 3));
        assertTrue(e.getMessage().contains(p.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void truncatedPlainFileSaysHowManyBytesAreMissing() throws Exception {
        byte[] raw = TestIdx.labels(100);
        Path p = tmp.resolve("labels");
        Files.write(p, Arrays.copyOf(raw, raw.length - 7));
        DatasetException e = assertThrows(DatasetException.class, () -> IdxReader.read(p, 1));
        assertTrue(e.getMessage().contains(p.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("declares 100 data bytes but the file holds only 93"), e.getMessage());
    }

    @Test
    void corruptGzipCrcIsDetected() throws Exception {
        byte[] gz = TestIdx.gzip(TestIdx.labels(100));
        gz[gz.length - 6] ^= 0x55; // inside the CRC-32 trailer
        Path p = tmp.resolve("crc.gz");
        Files.write(p, gz);
        DatasetException e = assertThrows(DatasetException.class, () -> IdxReader.read(p, 1));
        assertTrue(e.getMessage().startsWith(p.toString()), e.getMessage());
    }

    @Test
    void wrongMagicNamesFileAndExpectedValue() throws Exception {
        Path images = TestIdx.write(tmp, "images", TestIdx.images(2), true);
        DatasetException e = assertThrows(DatasetException.class, () -> IdxReader.read(images, 1));
        assertTrue(e.getMessage().contains(images.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("wrong magic number 0x00000803; expected 0x00000801"), e.getMessage());

        byte[] raw = TestIdx.labels(4);
        raw[2] = 0x0d; // float type code
        Path floats = TestIdx.write(tmp, "floats", raw, false);
        DatasetException f = assertThrows(DatasetException.class, () -> IdxReader.read(floats, 1));
        assertTrue(f.getMessage().contains("wrong magic number 0x00000d01"), f.getMessage());
    }

    @Test
    void trailingBytesAreRejected() throws Exception {
        byte[] raw = TestIdx.labels(10);
        Path p = TestIdx.write(tmp, "long", Arrays.copyOf(raw, raw.length + 3), true);
        DatasetException e = assertThrows(DatasetException.class, () -> IdxReader.read(p, 1));
        assertTrue(e.getMessage().contains("trailing bytes"), e.getMessage());
    }

    @Test
    void missingFileIsADatasetException() {
        Path p = tmp.resolve("nope.gz");
        DatasetException e = assertThrows(DatasetException.class, () -> IdxReader.read(p, 1));
        assertTrue(e.getMessage().contains(p.toString()), e.getMessage());
    }

    @Test
    void realFashionMnistTrainLabels() throws Exception {
        Path p = TestIdx.FASHION.resolve("train-labels-idx1-ubyte.gz");
        assumeTrue(Files.isRegularFile(p), "Fashion-MNIST not installed (sudo apt-get install dataset-fashion-mnist)");
        IdxArray a = IdxReader.read(p, 1);
        assertArrayEquals(new int[] {60_000}, a.dims());
        // Published SHA-256 of the decompressed upstream file (see DatasetSpec).
        assertEquals(DatasetSpec.FASHION_MNIST.trainLabels().contentSha256(), a.contentSha256());
    }
}
