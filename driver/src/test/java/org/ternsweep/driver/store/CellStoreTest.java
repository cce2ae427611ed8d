package org.ternsweep.driver.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ternsweep.core.CellResult;
import org.ternsweep.core.CellSpec;
import org.ternsweep.results.store.OutputLayout;

/** The store without Spark: atomic, idempotent cell files and the lock. */
class CellStoreTest {
    @TempDir
    Path dir;

    private final Configuration conf = new Configuration();

    private static CellSpec spec() {
        return new CellSpec("fashion-mnist", "cnn-small", Map.of("epochs", 2.0), 0, "native", Map.of(), "per-tensor",
                "int8", "data-free", Map.of("bias_correction", false, "cle", false), 3, Map.of("batch", 500L));
    }

    private static Group read(Path file) throws IOException {
        try (ParquetReader<Group> r = ParquetReader.builder(new GroupReadSupport(),
                new org.apache.hadoop.fs.Path(file.toString())).build()) {
            return r.read();
        }
    }

    @Test
    void rewritingACellReplacesItsFileAndLeavesNoTemporaryFile() throws IOException {
        CellStore store = new CellStore(new OutputLayout(dir.toString()));
        CellSpec s = spec();
        store.write(CellResult.failed(s, new IllegalStateException("first try"), Map.of()), Instant.EPOCH, "t1a0", conf);
        CellResult ok = new CellResult(s.cellId(), s, CellResult.Status.OK, null, null, 0.75, 0.6, 0.9, 1.5, 0.5,
                List.of(), List.of(), Map.of("host", "h"));
        store.write(ok, Instant.parse("2025-01-01T00:00:00Z"), "t2a0", conf);
        try (Stream<Path> files = Files.list(dir.resolve("cells"))) {
            assertEquals(List.of(s.cellId() + ".parquet"), files.map(p -> p.getFileName().toString())
                    .filter(n -> !n.startsWith(".") && !n.startsWith("_")).toList());
        }
        try (Stream<Path> tmp = Files.list(dir.resolve("cells/_tmp"))) {
            assertEquals(0, tmp.filter(p -> p.toString().endsWith(".parquet")).count());
        }
        Group g = read(dir.resolve("cells/" + s.cellId() + ".parquet"));
        assertEquals("OK", g.getString("status", 0));
        assertEquals(0.75, g.getDouble("accuracy", 0), 0);
        assertEquals(0, g.getFieldRepetitionCount("error"), "an OK row has no error");
        assertEquals(s.canonicalJson(), g.getString("spec_json", 0));
        assertEquals(1_735_689_600_000_000L, g.getLong("finished_at", 0));
    }

    @Test
    void failedRowsHaveNullMetricsAndTheError() throws IOException {
        CellStore store = new CellStore(new OutputLayout(dir.toString()));
        CellSpec s = spec();
        store.write(CellResult.failed(s, new ArithmeticException("divide by zero"), Map.of()), Instant.EPOCH, "a", conf);
        Group g = read(dir.resolve("cells/" + s.cellId() + ".parquet"));
        assertEquals("FAILED", g.getString("status", 0));
        assertEquals("java.lang.ArithmeticException", g.getString("error_class", 0));
        assertEquals("divide by zero", g.getString("error", 0));
        for (String metric : List.of("accuracy", "cross_entropy", "float_accuracy", "quantize_seconds", "eval_seconds")) {
            assertEquals(0, g.getFieldRepetitionCount(metric), metric);
        }
    }

    @Test
    void lockIsExclusiveUntilClosedOrForced() throws IOException {
        OutputLayout layout = new OutputLayout(dir.resolve("out").toString());
        RunLock first = RunLock.acquire(layout, conf, false);
        assertTrue(Files.exists(dir.resolve("out/_lock")));
        assertTrue(Files.readString(dir.resolve("out/_lock")).contains("pid=" + ProcessHandle.current().pid()));
        assertThrows(RunLock.LockedException.class, () -> RunLock.acquire(layout, conf, false));
        first.close();
        assertFalse(Files.exists(dir.resolve("out/_lock")));
        try (RunLock again = RunLock.acquire(layout, conf, false)) {
            assertThrows(RunLock.LockedException.class, () -> RunLock.acquire(layout, conf, true),
                    "--force-unlock is refused while the holder runs on this host");
            assertTrue(Files.exists(dir.resolve("out/_lock")));
        }
        assertFalse(Files.exists(dir.resolve("out/_lock")));
    }

    private static CellSpec spec(long seed) {
        return new CellSpec("fashion-mnist", "cnn-small", Map.of("epochs", 2.0), 0, "native", Map.of(), "per-tensor",
                "int8", "data-free", Map.of("bias_correction", false, "cle", false), seed, Map.of("batch", 500L));
    }

    private static CellResult ok(CellSpec s) {
        return new CellResult(s.cellId(), s, CellResult.Status.OK, null, null, 0.75, 0.6, 0.9, 1.5, 0.5, List.of(),
                List.of(), Map.of("host", "h"));
    }

    /**
     * A truncated file whose .crc is now stale (a Hadoop checksum error), a file of garbage bytes and a good
     * file: the first two are moved to cells/_corrupt/ with their checksums, one warning line each, and count
     * as not stored; the good one is kept.
     */
    @Test
    void unreadableCellFilesAreMovedAsideWithOneWarningEachAndCountAsNotStored() throws IOException {
        OutputLayout layout = new OutputLayout(dir.toString());
        CellStore store = new CellStore(layout);
        CellSpec good = spec(1);
        CellSpec truncated = spec(2);
        CellSpec garbage = spec(3);
        for (CellSpec s : List.of(good, truncated, garbage)) {
            store.write(ok(s), Instant.EPOCH, "t" + s.seed(), conf);
        }
        Path cells = dir.resolve("cells");
        Path t = cells.resolve(truncated.cellId() + ".parquet");
        byte[] full = Files.readAllBytes(t);
        Files.write(t, java.util.Arrays.copyOf(full, full.length / 2));
        assertTrue(Files.exists(cells.resolve("." + truncated.cellId() + ".parquet.crc")), "a stale checksum");
        Path g = cells.resolve(garbage.cellId() + ".parquet");
        Files.delete(cells.resolve("." + garbage.cellId() + ".parquet.crc"));
        Files.writeString(g, "this is not a Parquet file");

        List<String> warnings = new java.util.ArrayList<>();
        Map<String, org.ternsweep.results.model.CellRow.Status> statuses = store.statuses(conf, warnings::add);

        assertEquals(Map.of(good.cellId(), org.ternsweep.results.model.CellRow.Status.OK), statuses);
        assertEquals(2, warnings.size(), warnings.toString());
        for (CellSpec s : List.of(truncated, garbage)) {
            String name = s.cellId() + ".parquet";
            assertTrue(Files.notExists(cells.resolve(name)), name);
            assertTrue(Files.isRegularFile(cells.resolve("_corrupt").resolve(name)), name);
            assertTrue(warnings.stream().anyMatch(w -> w.startsWith("warning: cell file ") && w.contains(name)
                    && w.contains("moved it to") && w.contains("_corrupt") && !w.contains("\n")), warnings.toString());
        }
        assertTrue(Files.notExists(cells.resolve("." + truncated.cellId() + ".parquet.crc")), "the checksum went too");
        assertEquals(Map.of(good.cellId(), org.ternsweep.results.model.CellRow.Status.OK),
                store.statuses(conf, w -> { throw new AssertionError("nothing left to move: " + w); }));
    }

    @Test
    void filesLeftInTmpByAnInterruptedRunAreDeletedAtTheNextStart() throws IOException {
        OutputLayout layout = new OutputLayout(dir.toString());
        CellStore store = new CellStore(layout);
        assertEquals(0, store.cleanTmp(conf), "no cells/_tmp yet");
        store.write(ok(spec(1)), Instant.EPOCH, "t1", conf);
        Path tmp = dir.resolve("cells/_tmp");
        Files.writeString(tmp.resolve(spec(2).cellId() + ".t9a0.parquet"), "half a file");
        Files.writeString(tmp.resolve("compacted-3.parquet.123-456"), "half a compacted file");
        Files.writeString(tmp.resolve(".compacted-3.parquet.123-456.crc"), "its checksum");
        assertEquals(2, store.cleanTmp(conf));
        try (Stream<Path> left = Files.list(tmp)) {
            assertEquals(List.of(), left.toList());
        }
        assertTrue(Files.exists(dir.resolve("cells/" + spec(1).cellId() + ".parquet")), "stored cells stay");
    }
}
