package org.ternsweep.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ternsweep.core.CellResult;
import org.ternsweep.core.CellSpec;
import org.ternsweep.core.RunContext;
import org.ternsweep.core.Sha256;

/** A cell on a user's npz dataset of RGB images runs through the real runner, reading the file the run names. */
class UserDatasetCellTest {
    @TempDir
    Path dir;

    /** 32 train / 16 test NHWC uint8 images of 10×10×3; the label is the brightest channel. */
    private static byte[] npz() throws IOException {
        SplittableRandom rng = new SplittableRandom(3);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(out)) {
            for (String split : new String[] {"train", "test"}) {
                int n = split.equals("train") ? 32 : 16;
                byte[] x = new byte[n * 300];
                byte[] y = new byte[n];
                for (int i = 0; i < n; i++) {
                    y[i] = (byte) (i % 3);
                    for (int p = 0; p < 300; p++) {
                        x[i * 300 + p] = (byte) (rng.nextInt(100) + (p % 3 == y[i] ? 120 : 0));
                    }
                }
                entry(z, "x_" + split, "|u1", n + ", 10, 10, 3", x);
                entry(z, "y_" + split, "|u1", n + ",", y);
            }
        }
        return out.toByteArray();
    }

    private static void entry(ZipOutputStream z, String name, String descr, String shape, byte[] data)
            throws IOException {
        String header = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (" + shape + "), }\n";
        ByteBuffer b = ByteBuffer.allocate(10 + header.length() + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) header.length());
        z.putNextEntry(new ZipEntry(name + ".npy"));
        z.write(b.put(header.getBytes(StandardCharsets.ISO_8859_1)).put(data).array());
        z.closeEntry();
    }

    private static CellSpec cell(String method, Map<String, Object> options, Map<String, Object> source) {
        return new CellSpec("rgb", "resnet-20", Map.of("epochs", 2.0, "batch", 8L, "lr", 1e-3), 0, "native",
                Map.of(), "per-channel", "int8", method, options, 0, Map.of(), Map.of(), source);
    }

    @Test
    void runsEveryMethodOnAColourNpzAndRefusesACellWhoseFileTheRunLacks() throws Exception {
        Path file = dir.resolve("rgb.npz");
        Files.write(file, npz());
        String sha = Sha256.of(Files.readAllBytes(file));
        Map<String, Object> source = Map.of("format", "npz", "sha256", sha);
        RunContext context = new RunContext(null, dir.resolve("cache").toString(), 1, false,
                RunContext.DEFAULT_CONV_BACKEND, Map.of(sha, file.toString()));
        CellRunner runner = new CellRunner();
        for (CellSpec spec : new CellSpec[] {
            cell("data-free", Map.of(), source),
            cell("adaround", Map.of("iterations", 5L, "calibration", 16L, "batch", 8L), source),
            cell("brecq", Map.of("iterations", 5L, "calibration", 16L, "batch", 8L), source),
            cell("qat", Map.of("epochs", 0.5, "batch", 8L), source)}) {
            CellResult r = runner.run(spec, context);
            assertEquals(CellResult.Status.OK, r.status(), spec.method() + ": " + r.errorMessage());
            assertEquals(sha, r.provenance().get("dataset_sha256"));
        }

        CellResult missing = runner.run(cell("data-free", Map.of(), source), new RunContext(null,
                dir.resolve("cache").toString(), 1, false, RunContext.DEFAULT_CONV_BACKEND, Map.of()));
        assertEquals(CellResult.Status.FAILED, missing.status());
        assertTrue(missing.errorMessage().contains(sha), missing.errorMessage());

        Files.write(file, new byte[] {1, 2, 3});
        CellResult changed = runner.run(cell("data-free", Map.of(), source), context);
        assertEquals(CellResult.Status.FAILED, changed.status());
        assertTrue(changed.errorMessage().contains("but the sweep recorded " + sha), changed.errorMessage());
    }
}
