package org.ternsweep.driver.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ternsweep.core.CellSpec;
import org.ternsweep.driver.spark.FakeExecutor;
import org.ternsweep.driver.spark.RunOptions;
import org.ternsweep.driver.spark.RunReport;
import org.ternsweep.driver.spark.SparkSessions;
import org.ternsweep.driver.spark.SweepRunner;
import org.ternsweep.driver.spark.ThrowingExecutor;
import org.ternsweep.driver.sweep.Grid;
import org.ternsweep.driver.sweep.Sweep;
import org.ternsweep.driver.sweep.SweepParser;
import org.ternsweep.results.store.CellReader;
import org.ternsweep.results.store.OutputLayout;
import org.ternsweep.results.store.StoredCell;

/**
 * {@code ternsweep compact} and resume: after compaction a run skips every OK cell, reruns FAILED ones
 * whose new rows win in every reader (resume scan, CellReader, the summary, Spark reading cells/
 * directly), and the report is the same as before compaction. Real Spark local[2], test executors. The
 * compactor's own rules are tested in the results module (CellCompactorTest, CellReaderTest).
 */
class CompactCommandTest {
    static SparkSession spark;

    static final String SWEEP = """
            name: k
            models: [cnn-small]
            seeds: [0, 1, 2]
            operators: [native, mquant]
            granularities: [per-tensor]
            methods: [data-free]
            """;

    @TempDir
    Path dir;

    private final Configuration conf = new Configuration();

    @BeforeAll
    static void start() {
        spark = SparkSessions.create("local[2]", 1, "ternsweep-compact-test", false);
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private static Sweep sweep() {
        return SweepParser.parse("k.yaml", SWEEP, List.of());
    }

    private Path out() {
        return dir.resolve("out");
    }

    private RunReport run(Class<?> executor) throws IOException {
        return new SweepRunner(spark, new PrintWriter(Writer.nullWriter()), false).run(sweep(),
                new RunOptions(out().toString(), dir.resolve("cache").toString(), null, 1, false, executor.getName(),
                        false));
    }

    private String compactCli(String... extra) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        String[] args = Stream.concat(Stream.of("compact", out().toString()), Stream.of(extra)).toArray(String[]::new);
        int rc = Main.execute(args, new PrintStream(buf, true, StandardCharsets.UTF_8), System.err);
        String text = buf.toString(StandardCharsets.UTF_8);
        assertEquals(Main.OK, rc, text);
        return text;
    }

    private List<String> cellFileNames() throws IOException {
        try (Stream<Path> files = Files.list(out().resolve("cells"))) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".parquet") && !n.startsWith("_") && !n.startsWith(".")).sorted().toList();
        }
    }

    /** What Spark sees reading cells/ directly: cell id → status, failing on a cell seen twice. */
    private Map<String, String> sparkRows() {
        List<Row> rows = spark.read().parquet(out().resolve("cells").toString()).select("cell_id", "status")
                .collectAsList();
        Map<String, String> m = new java.util.HashMap<>();
        for (Row r : rows) {
            assertEquals(null, m.put(r.getString(0), r.getString(1)), "Spark sees cell " + r.getString(0) + " twice");
        }
        return m;
    }

    private static List<String> gridIds() {
        return Grid.expand(sweep()).stream().map(CellSpec::cellId).sorted().toList();
    }

    @Test
    void compactedOutputResumesWithNothingToRunAndTheSameReport() throws IOException {
        RunReport before = run(FakeExecutor.class);
        assertEquals(6, before.executed());
        List<StoredCell> cellsBefore = CellReader.read(new OutputLayout(out().toString()), conf);
        String reportBefore = Files.readString(out().resolve("report.md"));

        String text = compactCli("--rows-per-file", "4");
        assertTrue(text.contains("compacted 6 files (6 rows) into 2 file(s) holding 6 cells"), text);
        assertEquals(List.of("compacted-1.parquet", "compacted-2.parquet"), cellFileNames());
        assertEquals(gridIds(), sparkRows().keySet().stream().sorted().toList());
        assertTrue(compactCli("--rows-per-file", "4").contains("nothing to compact (6 cells in 2 files)"));

        RunReport after = run(FakeExecutor.class);
        assertEquals(0, after.toRun());
        assertEquals(6, after.alreadyDone());
        assertEquals(before.summary(), after.summary());
        assertEquals(before.comparisons(), after.comparisons());
        assertEquals(cellsBefore.stream().map(StoredCell::row).toList(),
                CellReader.read(new OutputLayout(out().toString()), conf).stream().map(StoredCell::row).toList());
        assertEquals(reportBefore, Files.readString(out().resolve("report.md")));
        assertEquals(List.of("compacted-1.parquet", "compacted-2.parquet"), cellFileNames());
    }

    @Test
    void aFailedCellRerunAfterCompactionWinsEverywhere() throws IOException {
        RunReport first = run(ThrowingExecutor.class);
        assertEquals(3, first.failed().size());
        compactCli();
        assertEquals(List.of("compacted-1.parquet"), cellFileNames());

        RunReport second = run(FakeExecutor.class);
        assertEquals(3, second.toRun(), "the FAILED cells, and only they, rerun");
        assertTrue(second.failed().isEmpty(), second.failed().toString());
        assertTrue(second.summary().stream().allMatch(r -> r.n() == 3 && r.nFailed() == 0), second.summary().toString());
        Map<String, String> seen = sparkRows();
        assertEquals(gridIds(), seen.keySet().stream().sorted().toList());
        assertTrue(seen.values().stream().allMatch("OK"::equals), seen.toString());
        assertTrue(CellReader.read(new OutputLayout(out().toString()), conf).stream()
                .allMatch(c -> c.row().status() == org.ternsweep.results.model.CellRow.Status.OK));
        assertEquals(3, cellFileNames().stream().filter(n -> !n.startsWith("compacted-")).count(),
                "the rerun cells are per-cell files again");

        assertTrue(compactCli().contains("holding 6 cells"));
        assertEquals(List.of("compacted-3.parquet"), cellFileNames(),
                "the reconcile of the run wrote compacted-2 (without the superseded rows); compact then merged all");
        assertEquals(0, run(FakeExecutor.class).toRun());
    }
}
