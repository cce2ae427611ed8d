package org.ternsweep.driver.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ternsweep.core.CellSpec;
import org.ternsweep.core.Sha256;

class UserDatasetSweepTest {
    static final String SWEEP = """
            name: user-data
            dataset: {name: my-data, npz: data/my.npz}
            models: [resnet-20]
            seeds: [0]
            operators: [native]
            granularities: [per-tensor]
            methods: [data-free]
            """;

    @TempDir
    Path dir;

    /** A valid npz: 4 train / 2 test NCHW uint8 images of 3×5×5 with labels 0..2. */
    static byte[] npz(boolean withTestLabels) throws IOException {
        Map<String, byte[]> m = new LinkedHashMap<>();
        m.put("x_train", npy("|u1", "4, 3, 5, 5", new byte[300]));
        m.put("y_train", npy("|u1", "4,", new byte[] {0, 1, 2, 1}));
        m.put("x_test", npy("|u1", "2, 3, 5, 5", new byte[150]));
        if (withTestLabels) {
            m.put("y_test", npy("|u1", "2,", new byte[] {2, 0}));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(out)) {
            for (Map.Entry<String, byte[]> e : m.entrySet()) {
                z.putNextEntry(new ZipEntry(e.getKey() + ".npy"));
                z.write(e.getValue());
                z.closeEntry();
            }
        }
        return out.toByteArray();
    }

    private static byte[] npy(String descr, String shape, byte[] data) {
        String header = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (" + shape + "), }\n";
        ByteBuffer b = ByteBuffer.allocate(10 + header.length() + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) header.length());
        return b.put(header.getBytes(StandardCharsets.ISO_8859_1)).put(data).array();
    }

    private Path write(byte[] npz) throws IOException {
        Path data = Files.createDirectories(dir.resolve("data"));
        Files.write(data.resolve("my.npz"), npz);
        Path sweep = dir.resolve("s.yaml");
        Files.writeString(sweep, SWEEP);
        return sweep;
    }

    @Test
    void theFileIsFoundBesideTheSweepHashedAndNamedInEveryCell() throws Exception {
        Path sweepFile = write(npz(true));
        Path npz = dir.resolve("data/my.npz").toAbsolutePath();
        String sha = Sha256.of(Files.readAllBytes(npz));
        Sweep s = SweepParser.parse(sweepFile, List.of());
        assertEquals("my-data", s.dataset());
        assertEquals(Map.of("format", "npz", "sha256", sha), s.datasetSource());
        assertEquals(Map.of(sha, npz.toString()), s.inputFiles());
        List<CellSpec> cells = Grid.expand(s);
        assertEquals(1, cells.size());
        assertEquals("my-data", cells.get(0).dataset());
        assertEquals(s.datasetSource(), cells.get(0).datasetSource());

        // sweep.yaml records the absolute path and the hash; read back it names the same cells, also once the
        // file is gone (the report of a finished run needs no data)
        Map<String, Object> resolved = s.toResolvedMap();
        assertEquals(Map.of("name", "my-data", "npz", npz.toString(), "sha256", sha), resolved.get("dataset"));
        String yaml = new ObjectMapper(new YAMLFactory()).writeValueAsString(resolved);
        Path elsewhere = Files.createDirectories(dir.resolve("out")).resolve("sweep.yaml");
        Files.writeString(elsewhere, yaml);
        assertEquals(cells, Grid.expand(SweepParser.parse(elsewhere, List.of())));
        Files.delete(npz);
        assertEquals(cells, Grid.expand(SweepParser.parse(elsewhere, List.of())));
    }

    @Test
    void anotherFileMakesOtherCells() throws Exception {
        Sweep a = SweepParser.parse(write(npz(true)), List.of());
        byte[] other = npz(true);
        other[other.length - 30] ^= 1;
        Sweep b = SweepParser.parse(write(other), List.of());
        assertNotEquals(Grid.expand(a).get(0).cellId(), Grid.expand(b).get(0).cellId());
    }

    @Test
    void badEntriesAreRefusedBeforeAnythingRuns() throws Exception {
        Path sweep = write(npz(true));
        expect(sweep, SWEEP.replace("name: my-data", "name: fashion-mnist"), "dataset.name",
                "other than a built-in dataset's name");
        expect(sweep, SWEEP.replace("name: my-data", "name: my/data"), "dataset.name", "'my/data'");
        expect(sweep, SWEEP.replace(", npz: data/my.npz", ""), "dataset.npz", "missing required key");
        expect(sweep, SWEEP.replace("data/my.npz", "file:///no/such/my.npz"), "dataset.npz",
                "cannot read file:///no/such/my.npz");
        expect(sweep, SWEEP.replace("npz: data/my.npz", "npz: data/my.npz, labels: 3"), "dataset.labels",
                "unknown key");
        expect(sweep, SWEEP.replace("npz: data/my.npz", "npz: data/my.npz, sha256: " + "a".repeat(64)),
                "dataset.npz", "but the sweep recorded " + "a".repeat(64));
        write(npz(false));
        expect(sweep, SWEEP, "dataset.npz", "my.npz: array 'y_test' is missing");
    }

    private void expect(Path sweepFile, String text, String key, String part) throws IOException {
        Files.writeString(sweepFile, text);
        SweepException e = assertThrows(SweepException.class, () -> SweepParser.parse(sweepFile, List.of()));
        assertEquals(key, e.key(), e.getMessage());
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }
}
