package org.ternsweep.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ternsweep.core.Sha256;

class NpzDatasetTest {
    /** Written by numpy 1.x with src/test/resources/npz/make-tiny-rgb.py: NHWC uint8 images, int64 labels. */
    static final String TINY = "/npz/tiny-rgb.npz";

    @TempDir
    Path dir;

    static Path tiny(Path dir) throws IOException {
        Path p = dir.resolve("tiny-rgb.npz");
        try (var in = NpzDatasetTest.class.getResourceAsStream(TINY)) {
            Files.copy(in, p);
        }
        return p;
    }

    @Test
    void readsNumpysFileTransposingNhwcAndScalingBytes() throws Exception {
        Path file = tiny(dir);
        Dataset d = NpzDataset.load("tiny-rgb", file, null);
        assertEquals(new InputShape(3, 8, 8, 3), d.shape());
        assertEquals(40, d.trainSize());
        assertEquals(20, d.testSize());
        assertEquals(Sha256.of(Files.readAllBytes(file)), d.sha256());
        // numpy: x_train[1, 2, 3, :] == [64, 213, 104], y_train[:5] == [0, 1, 2, 0, 1],
        // x_test[0, 0, 0, :] == [140, 104, 33]
        int[] rgb = {64, 213, 104};
        for (int c = 0; c < 3; c++) {
            assertEquals(rgb[c] / 255f, d.trainImages()[((1 * 3 + c) * 8 + 2) * 8 + 3]);
        }
        int[] first = {140, 104, 33};
        for (int c = 0; c < 3; c++) {
            assertEquals(first[c] / 255f, d.testImages()[c * 64]);
        }
        assertArrayEquals(new int[] {0, 1, 2, 0, 1}, Arrays.copyOf(d.trainLabels(), 5));
        assertSame(d, NpzDataset.load("tiny-rgb", file, d.sha256()));
    }

    @Test
    void refusesAFileWhoseHashIsNotTheRecordedOne() throws Exception {
        Path file = tiny(dir);
        DatasetException e = assertThrows(DatasetException.class,
                () -> NpzDataset.load("tiny-rgb", file, "0".repeat(64)));
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("0".repeat(64)),
                e.getMessage());
    }

    @Test
    void float32NchwImagesAreTakenAsTheyAre() throws Exception {
        Map<String, byte[]> m = good();
        m.put("x_train", npy("<f4", new int[] {4, 2, 5, 5}, floats(4 * 50, 0.25f)));
        m.put("x_test", npy("<f4", new int[] {2, 2, 5, 5}, floats(2 * 50, -1.5f)));
        Dataset d = parse(m);
        assertEquals(new InputShape(2, 5, 5, 3), d.shape());
        assertEquals(0.25f, d.trainImages()[0]);
        assertEquals(-1.5f, d.testImages()[99]);
    }

    @Test
    void eachDefectIsNamed() {
        Map<String, byte[]> m = good();
        m.remove("y_test");
        expect(m, "array 'y_test' is missing");
        m = good();
        m.put("x_train", npy("<f8", new int[] {4, 3, 5, 5}, new byte[4 * 75 * 8]));
        expect(m, "array 'x_train': has dtype '<f8'");
        m = good();
        m.put("x_train", npy("|u1", new int[] {4, 75}, new byte[4 * 75]));
        expect(m, "'x_train' has rank 2");
        m = good();
        m.put("y_train", npy("<i8", new int[] {4}, longs(0, 1, -1, 2)));
        expect(m, "'y_train' has label -1 at index 2");
        m = good();
        m.put("y_train", npy("<f4", new int[] {4}, floats(4, 1f)));
        expect(m, "'y_train' is float32");
        m = good();
        m.put("y_train", npy("<i8", new int[] {3}, longs(0, 1, 2)));
        expect(m, "'y_train' has 3 labels but 'x_train' has 4 images");
        m = good();
        m.put("x_test", npy("|u1", new int[] {2, 3, 6, 6}, new byte[2 * 108]));
        expect(m, "x_train has shape [4, 3, 5, 5] but x_test has [2, 3, 6, 6]");
        m = good();
        byte[] nan = floats(4 * 75, 0.5f);
        ByteBuffer.wrap(nan).order(ByteOrder.LITTLE_ENDIAN).putFloat(7 * 4, Float.NaN);
        m.put("x_train", npy("<f4", new int[] {4, 3, 5, 5}, nan));
        m.put("x_test", npy("<f4", new int[] {2, 3, 5, 5}, floats(2 * 75, 0.5f)));
        expect(m, "'x_train' has NaN at flat index 7");
        m = good();
        m.put("x_train", npy("|u1", new int[] {4, 3, 5, 1}, new byte[4 * 15]));
        expect(m, "ambiguous between NCHW and NHWC");
        m = good();
        m.put("y_train", npy("<i8", new int[] {4}, longs(0, 0, 0, 0)));
        m.put("y_test", npy("<i8", new int[] {2}, longs(0, 0)));
        expect(m, "the largest label is 0");
        m = good();
        m.put("x_train", npy("|u1", new int[] {4, 3, 5, 5}, new byte[7]));
        expect(m, "'x_train': holds 7 data bytes");
        m = good();
        byte[] fortran = npy("|u1", new int[] {4, 3, 5, 5}, new byte[300]);
        m.put("x_train", new String(fortran, StandardCharsets.ISO_8859_1).replace("'fortran_order': False",
                "'fortran_order': True ").getBytes(StandardCharsets.ISO_8859_1));
        expect(m, "Fortran order");
        DatasetException e = assertThrows(DatasetException.class,
                () -> NpzDataset.parse("d", "f.npz", "not a zip".getBytes(StandardCharsets.UTF_8), "0".repeat(64)));
        assertTrue(e.getMessage().startsWith("f.npz: not an npz file"), e.getMessage());
    }

    private static void expect(Map<String, byte[]> arrays, String... parts) {
        DatasetException e = assertThrows(DatasetException.class, () -> parse(arrays));
        assertTrue(e.getMessage().startsWith("bad.npz: "), e.getMessage());
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "'" + p + "' in: " + e.getMessage());
        }
    }

    private static Dataset parse(Map<String, byte[]> arrays) throws Exception {
        return NpzDataset.parse("d", "bad.npz", zip(arrays), "0".repeat(64));
    }

    /** A valid NCHW uint8 dataset of 4 train / 2 test images of 3×5×5 and 3 classes. */
    private static Map<String, byte[]> good() {
        Map<String, byte[]> m = new LinkedHashMap<>();
        m.put("x_train", npy("|u1", new int[] {4, 3, 5, 5}, new byte[4 * 75]));
        m.put("y_train", npy("<i8", new int[] {4}, longs(0, 1, 2, 1)));
        m.put("x_test", npy("|u1", new int[] {2, 3, 5, 5}, new byte[2 * 75]));
        m.put("y_test", npy("<i4", new int[] {2}, ints(2, 0)));
        return m;
    }

    /** An NPY 1.0 array as numpy writes it: magic, version, header padded to 64 bytes, data. */
    static byte[] npy(String descr, int[] shape, byte[] data) {
        StringBuilder s = new StringBuilder();
        for (int d : shape) {
            s.append(d).append(", ");
        }
        String shapeText = shape.length == 1 ? shape[0] + "," : s.substring(0, s.length() - 2);
        String header = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (" + shapeText + "), }";
        int total = 10 + header.length() + 1;
        header = header + " ".repeat((64 - total % 64) % 64) + "\n";
        ByteBuffer b = ByteBuffer.allocate(10 + header.length() + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
        b.putShort((short) header.length());
        b.put(header.getBytes(StandardCharsets.ISO_8859_1));
        b.put(data);
        return b.array();
    }

    static byte[] zip(Map<String, byte[]> arrays) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(out)) {
            for (Map.Entry<String, byte[]> e : arrays.entrySet()) {
                z.putNextEntry(new ZipEntry(e.getKey() + ".npy"));
                z.write(e.getValue());
                z.closeEntry();
            }
        }
        return out.toByteArray();
    }

    private static byte[] floats(int n, float v) {
        ByteBuffer b = ByteBuffer.allocate(4 * n).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            b.putFloat(v);
        }
        return b.array();
    }

    private static byte[] longs(long... v) {
        ByteBuffer b = ByteBuffer.allocate(8 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (long x : v) {
            b.putLong(x);
        }
        return b.array();
    }

    private static byte[] ints(int... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int x : v) {
            b.putInt(x);
        }
        return b.array();
    }
}
