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
        try (RunLock again = RunLock.acquire(layout, conf, false); RunLock forced = RunLock.acquire(layout, conf, true)) {
            assertTrue(Files.exists(dir.resolve("out/_lock")));
        }
        assertFalse(Files.exists(dir.resolve("out/_lock")));
    }
}
