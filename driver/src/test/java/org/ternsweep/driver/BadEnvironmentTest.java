package org.ternsweep.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ternsweep.core.Sha256;
import org.ternsweep.driver.cli.Main;
import org.ternsweep.driver.spark.FakeExecutor;
import org.ternsweep.results.store.CellReader;
import org.ternsweep.results.store.OutputLayout;
import org.ternsweep.results.store.StoredCell;

/**
 * A bad environment, through the CLI in local mode (Spark {@code local[2]}; the cluster adds nothing to
 * these two cases: the driver checks the output directory itself, and the model cache is a shared path
 * each executor JVM verifies on its own). The missing dataset on the workers is in
 * {@link org.ternsweep.driver.cluster.ClusterTest}, where it matters that only the executors look.
 */
public class BadEnvironmentTest {
    static final Path FASHION = Path.of("/usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz");

    /** The tiny recipe of the real-runner checks: a 0.2-epoch float model on 2 000 images, 500 to test. */
    public static final String TINY = """
            name: env
            models: [cnn-small]
            seeds: [0]
            operators: [native, mquant]
            granularities: [per-tensor]
            methods: [data-free]
            recipe: {epochs: 0.2, train_subset: 2000}
            evaluation: {test_subset: 500}
            """;

    static final String FAKE = """
            name: envfake
            models: [cnn-small]
            seeds: SEEDS
            operators: [native, mquant]
            granularities: [per-tensor]
            methods: [data-free]
            """;

    @TempDir
    Path dir;

    private record Run(int rc, String out, String err) {
        String all() {
            return out + "\n" + err;
        }
    }

    private static Run cli(List<String> args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = Main.execute(args.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(rc, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private List<String> runArgs(Path sweep, Path out, Path cache, String... extra) {
        List<String> a = new ArrayList<>(List.of("run", sweep.toString(), "--out", out.toString(), "--master",
                "local[2]", "--no-ui", "--offline", "--cache", cache.toString()));
        a.addAll(List.of(extra));
        return a;
    }

    private Path fakeSweep(String seeds) throws IOException {
        return Files.writeString(dir.resolve("envfake.yaml"), FAKE.replace("SEEDS", seeds));
    }

    private static Map<String, byte[]> files(Path cells) throws IOException {
        Map<String, byte[]> m = new HashMap<>();
        try (Stream<Path> s = Files.list(cells)) {
            for (Path p : s.filter(p -> p.getFileName().toString().endsWith(".parquet")).toList()) {
                m.put(p.getFileName().toString(), Files.readAllBytes(p));
            }
        }
        return m;
    }

    @Test
    void anOutputDirectoryThatCannotBeCreatedIsAClearErrorBeforeAnyCell() throws IOException {
        Path blocker = Files.writeString(dir.resolve("a-file"), "x");
        Path out = blocker.resolve("out");
        Run r = cli(runArgs(fakeSweep("[0]"), out, dir.resolve("cache"), "--executor-class",
                FakeExecutor.class.getName()));
        assertEquals(Main.BAD_INPUT, r.rc(), r.all());
        assertTrue(r.err().contains("cannot create the output directory " + out), r.err());
        assertTrue(r.err().contains("choose a writable --out"), r.err());
        assertTrue(!r.err().contains("\tat "), "one message, no stack trace:\n" + r.err());
    }

    @Test
    void unwritableCellsDirectoryStopsTheRunAndLosesNothing() throws IOException {
        Path out = dir.resolve("out");
        Path cache = dir.resolve("cache");
        String fake = FakeExecutor.class.getName();
        assertEquals(Main.OK, cli(runArgs(fakeSweep("[0, 1]"), out, cache, "--executor-class", fake)).rc());
        Map<String, byte[]> before = files(out.resolve("cells"));
        assertEquals(4, before.size());

        // Where the tasks write is not a writable directory (a plain file; chmod would not stop root).
        Path tmp = out.resolve("cells/_tmp");
        try (Stream<Path> s = Files.list(tmp)) {
            for (Path p : s.toList()) {
                Files.delete(p);
            }
        }
        Files.delete(tmp);
        Files.writeString(tmp, "not a directory");
        Run r = cli(runArgs(fakeSweep("[0, 1, 2]"), out, cache, "--executor-class", fake));
        assertEquals(Main.BAD_INPUT, r.rc(), r.all());
        assertTrue(r.err().contains("cannot write cell files under " + tmp.toUri().getPath().replaceAll("/$", ""))
                || r.err().contains("cannot write cell files under file:" + tmp), r.err());
        assertTrue(r.err().contains("the stored cells are untouched"), r.err());
        assertTrue(r.out().contains("already done 4, to run 2"), r.out());
        Map<String, byte[]> after = files(out.resolve("cells"));
        assertEquals(before.keySet(), after.keySet(), "no cell file added or removed");
        before.forEach((name, bytes) -> assertTrue(java.util.Arrays.equals(bytes, after.get(name)), name));
        assertTrue(Files.notExists(out.resolve("_lock")), "the lock is released");

        Files.delete(tmp);
        Run fixed = cli(runArgs(fakeSweep("[0, 1, 2]"), out, cache, "--executor-class", fake));
        assertEquals(Main.OK, fixed.rc(), fixed.all());
        assertTrue(fixed.out().contains("already done 4, to run 2"), fixed.out());
    }

    /**
     * A truncated cell file (its .crc now stale) and a file left in cells/_tmp by a crash: the next run cleans
     * cells/_tmp, moves the unreadable file to cells/_corrupt/ with one warning line, and recomputes its cell.
     */
    @Test
    void aCorruptCellFileIsMovedAsideAndItsCellRecomputed() throws IOException {
        Path out = dir.resolve("out");
        Path cache = dir.resolve("cache");
        String fake = FakeExecutor.class.getName();
        assertEquals(Main.OK, cli(runArgs(fakeSweep("[0, 1]"), out, cache, "--executor-class", fake)).rc());
        Path victim;
        try (Stream<Path> s = Files.list(out.resolve("cells"))) {
            victim = s.filter(p -> p.getFileName().toString().endsWith(".parquet")
                    && !p.getFileName().toString().startsWith(".")).sorted().findFirst().orElseThrow();
        }
        byte[] full = Files.readAllBytes(victim);
        Files.write(victim, java.util.Arrays.copyOf(full, full.length - 20));
        Files.writeString(out.resolve("cells/_tmp/" + victim.getFileName() + ".t3a0"), "half a file");

        Run r = cli(runArgs(fakeSweep("[0, 1]"), out, cache, "--executor-class", fake));
        assertEquals(Main.OK, r.rc(), r.all());
        assertTrue(r.out().contains("removed 1 file(s) that an interrupted run left in"), r.out());
        assertEquals(1, r.out().lines().filter(l -> l.startsWith("warning: cell file ")
                && l.contains(victim.getFileName().toString()) && l.contains("_corrupt")).count(), r.out());
        assertTrue(r.out().contains("already done 3, to run 1"), r.out());
        assertTrue(!r.all().contains("\tat "), "no stack trace:\n" + r.all());
        assertTrue(Files.isRegularFile(out.resolve("cells/_corrupt").resolve(victim.getFileName())));
        assertEquals(4, CellReader.read(new OutputLayout(out.toString()), new Configuration()).size(),
                "the cell was computed again and every file reads");
    }

    @Test
    void aTruncatedCachedFloatModelIsDetectedByItsSizeAndRebuiltWithTheSameResults() throws IOException {
        Assumptions.assumeTrue(Files.exists(FASHION), "Fashion-MNIST is not installed: apt-get install -y"
                + " dataset-fashion-mnist");
        Path sweep = Files.writeString(dir.resolve("env.yaml"), TINY);
        Path cacheA = dir.resolve("cache-a");
        Run first = cli(runArgs(sweep, dir.resolve("out-a"), cacheA));
        assertEquals(Main.OK, first.rc(), first.all());
        List<Path> payloads;
        try (Stream<Path> s = Files.list(cacheA.resolve("models"))) {
            payloads = s.filter(p -> p.toString().endsWith(".weights")).toList();
        }
        assertEquals(1, payloads.size(), "one float model for the sweep: " + payloads);

        // A second cache holding the same entry with its payload cut in half (a copy interrupted, a bad disk).
        // A fresh cache directory, so no executor holds the model in memory from the first run.
        Path cacheB = dir.resolve("cache-b");
        copyTree(cacheA, cacheB);
        Path payloadB = cacheB.resolve("models").resolve(payloads.get(0).getFileName());
        long size = Files.size(payloadB);
        try (FileChannel ch = FileChannel.open(payloadB, StandardOpenOption.WRITE)) {
            ch.truncate(size / 2);
        }
        Run second = cli(runArgs(sweep, dir.resolve("out-b"), cacheB));
        assertEquals(Main.OK, second.rc(), second.all());

        String header = payloadB.getFileName().toString().replaceAll("\\.weights$", ".json");
        String recorded = new ObjectMapper().readTree(cacheB.resolve("models").resolve(header).toFile())
                .get("payload_sha256").asText();
        assertEquals(size, Files.size(payloadB), "the truncated payload was replaced");
        assertEquals(recorded, Sha256.of(payloadB), "the rebuilt payload matches its new header");

        List<StoredCell> a = CellReader.read(new OutputLayout(dir.resolve("out-a").toString()), new Configuration());
        List<StoredCell> b = CellReader.read(new OutputLayout(dir.resolve("out-b").toString()), new Configuration());
        assertEquals(2, a.size());
        assertEquals(a.stream().map(c -> c.row().cellId()).toList(), b.stream().map(c -> c.row().cellId()).toList());
        for (int i = 0; i < a.size(); i++) {
            assertEquals("OK", b.get(i).row().status().name(), String.valueOf(b.get(i).row().error()));
            assertEquals(a.get(i).row().accuracy(), b.get(i).row().accuracy(), 1e-6, a.get(i).row().cellId());
            assertEquals(a.get(i).row().floatAccuracy(), b.get(i).row().floatAccuracy(), 1e-6);
        }
        assertNotEquals(a.get(0).provenance().get("spark_app_id"), b.get(0).provenance().get("spark_app_id"),
                "two separate runs");
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path dst = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(dst);
                } else if (!p.getFileName().toString().endsWith(".lock")) {
                    Files.copy(p, dst);
                }
            }
        }
    }
}
