package org.ternsweep.driver.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.math3.stat.descriptive.DescriptiveStatistics;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ternsweep.core.BadInputException;
import org.ternsweep.core.CellSpec;
import org.ternsweep.driver.store.RunLock;
import org.ternsweep.driver.sweep.Grid;
import org.ternsweep.driver.sweep.Sweep;
import org.ternsweep.driver.sweep.SweepParser;
import org.ternsweep.results.model.ComparisonRow;
import org.ternsweep.results.model.SummaryRow;
import org.ternsweep.results.store.CellSchema;
import org.ternsweep.results.store.OutputLayout;

/** Real Spark (local[2]) and real Parquet in a temp dir, with test executors. */
class SweepRunnerTest {
    static SparkSession spark;

    static final String SWEEP = """
            name: t
            models: [cnn-small]
            seeds: SEEDS
            operators: [native, mquant]
            granularities: [per-tensor]
            methods: [data-free]
            """;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        spark = SparkSessions.create("local[2]", 1, "ternsweep-test", false);
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private static Sweep sweep(String seeds) {
        return SweepParser.parse("t.yaml", SWEEP.replace("SEEDS", seeds), List.of());
    }

    private RunOptions options(Class<?> executor, boolean force) {
        return new RunOptions(dir.resolve("out").toString(), dir.resolve("cache").toString(), null, 1, force,
                executor.getName(), false);
    }

    private RunReport run(Sweep s, Class<?> executor) throws IOException {
        return new SweepRunner(spark, new PrintWriter(Writer.nullWriter()), false)
                .run(s, options(executor, false));
    }

    private List<Path> cellFiles() throws IOException {
        try (Stream<Path> files = Files.list(dir.resolve("out/cells"))) {
            return files.filter(p -> p.getFileName().toString().endsWith(".parquet")).toList();
        }
    }

    @Test
    void writesOneParquetFilePerCellReadableBySpark() throws IOException {
        Sweep s = sweep("[0, 1, 2]");
        RunReport report = run(s, FakeExecutor.class);
        assertEquals(6, report.totalCells());
        assertEquals(6, report.executed());
        List<Path> files = cellFiles();
        assertEquals(6, files.size());
        for (CellSpec c : Grid.expand(s)) {
            assertTrue(Files.exists(dir.resolve("out/cells/" + c.cellId() + ".parquet")), c.cellId());
        }
        Dataset<Row> rows = spark.read().parquet(dir.resolve("out/cells").toString());
        assertEquals(CellSchema.COLUMNS, Arrays.asList(rows.columns()));
        assertEquals("array", rows.schema().apply("layers").dataType().typeName());
        assertEquals("map", rows.schema().apply("provenance").dataType().typeName());
        assertEquals("timestamp", rows.schema().apply("finished_at").dataType().typeName());
        Row r = rows.filter("operator = 'native' and seed = 1").first();
        CellSpec spec = CellSpec.fromJson(r.getString(r.fieldIndex("spec_json")));
        assertEquals(spec.cellId(), r.getString(r.fieldIndex("cell_id")));
        assertEquals(FakeExecutor.accuracyOf(spec.cellId()), r.getDouble(r.fieldIndex("accuracy")), 0);
        assertEquals("{\"bias_correction\":false,\"cle\":false}", r.getString(r.fieldIndex("method_options")));
        List<Row> layers = r.getList(r.fieldIndex("layers"));
        assertEquals(2, layers.size());
        assertTrue(layers.get(0).isNullAt(layers.get(0).fieldIndex("frac_zero")), "NaN is stored as null");
        assertEquals(0.4, layers.get(1).getDouble(layers.get(1).fieldIndex("frac_zero")), 0);
        assertEquals(2, r.getList(r.fieldIndex("training_curve")).size());
        Map<String, String> prov = r.getJavaMap(r.fieldIndex("provenance"));
        assertEquals(spark.sparkContext().applicationId(), prov.get("spark_app_id"));
        assertEquals("fake", prov.get("executor_note"), "the executor's provenance is kept");
        assertEquals("1", prov.get("threads_seen"));
        assertEquals("cpu", prov.get("engine"), "auto runs on the CPU: this build has no CUDA backend");
        assertEquals("auto", prov.get("engine_requested"));
        for (String k : List.of("host", "executor_id", "task_started_at", "task_finished_at", "jvm", "os", "arch",
                "project_version", "git_commit")) {
            assertNotNull(prov.get(k), k);
        }
        assertTrue(Files.exists(dir.resolve("out/sweep.yaml")));
        assertTrue(Files.readString(dir.resolve("out/sweep.yaml")).contains("bias_correction: false"));
        assertFalse(Files.exists(dir.resolve("out/_lock")), "the lock is released");
        assertEquals(2, spark.read().parquet(dir.resolve("out/summary.parquet").toString()).count());
    }

    /**
     * Adaptive seeds on an executor with known variances: per-channel cells vary 7.5 times as much as per-tensor
     * ones, so the per-channel groups get more seeds, every group ends at or below the target half-width (of its
     * mean and of its difference against native), seeds are 0, 1, 2, … and a rerun runs nothing.
     */
    @Test
    void adaptiveSeedsGiveMoreSeedsToNoisierGroupsUntilTheTargetIsMet() throws IOException {
        Sweep s = SweepParser.parse("a.yaml", """
                name: adaptive
                models: [cnn-small]
                seeds: {adaptive: {initial: 3, max: 40, step: 3, ci95_half_width: 0.015}}
                operators: [native, mquant]
                granularities: [per-tensor, per-channel]
                methods: [data-free]
                """, List.of());
        RunReport report = run(s, NoisyExecutor.class);
        assertEquals(4, report.summary().size());
        for (SummaryRow row : report.summary()) {
            assertEquals("met", row.spread().seedsStatus(), row.toString());
            assertTrue(row.accuracyCi95() <= 0.015, row.toString());
            assertEquals("0-" + (row.n() - 1), row.spread().seedsRun(), "seeds are 0, 1, 2, ...: " + row);
            if (row.group().granularity().equals("per-tensor")) {
                assertEquals(3, row.n(), "per-tensor met the target with the initial seeds: " + row);
            } else {
                assertTrue(row.n() > 3, "per-channel needed more seeds: " + row);
            }
        }
        report.comparisons().stream().filter(c -> c.kind() == ComparisonRow.Kind.VS_REFERENCE).forEach(c -> {
            assertEquals(Boolean.TRUE, c.effect().halfWidthMet(), c.toString());
            assertTrue((c.ciHigh() - c.ciLow()) / 2 <= 0.015 + 1e-12, c.toString());
        });
        assertEquals(report.executed(), cellFiles().size());
        RunReport again = run(s, NoisyExecutor.class);
        assertEquals(0, again.executed(), "a rerun resumes: the stored cells already meet the target");
        assertEquals(report.summary(), again.summary());
    }

    /** Model seeds: every cell runs once per model seed; the group pools them and splits the variance. */
    @Test
    void modelSeedsArePooledAndTheirVarianceIsSplitOff() throws IOException {
        Sweep s = SweepParser.parse("m.yaml", """
                name: models
                models: [cnn-small]
                model_seeds: [0, 1, 2]
                seeds: [0, 1, 2, 3]
                operators: [native, mquant]
                granularities: [per-tensor]
                methods: [data-free]
                """, List.of());
        RunReport report = run(s, NoisyExecutor.class);
        assertEquals(24, report.executed());
        assertEquals(2, report.summary().size());
        for (SummaryRow row : report.summary()) {
            assertEquals(12, row.n());
            assertEquals(3, row.spread().nModelSeeds());
            assertTrue(row.spread().varBetweenFraction() > 0.9, "the model seeds' 1-point offsets dominate the"
                    + " 0.2-point seed noise: " + row);
        }
        assertEquals(12, report.comparisons().get(0).nPairs(), "paired on (model seed, seed)");
    }

    @Test
    void summaryMatchesRecomputationFromTheCells() throws IOException {
        Sweep s = sweep("{from: 0, to: 4}");
        RunReport report = run(s, FakeExecutor.class);
        Map<String, DescriptiveStatistics> byOperator = new HashMap<>();
        for (CellSpec c : Grid.expand(s)) {
            byOperator.computeIfAbsent(c.operator(), k -> new DescriptiveStatistics())
                    .addValue(FakeExecutor.accuracyOf(c.cellId()));
        }
        assertEquals(2, report.summary().size());
        for (SummaryRow row : report.summary()) {
            DescriptiveStatistics d = byOperator.get(row.operator().operator());
            assertEquals(5, row.n());
            assertEquals(0, row.nFailed());
            assertEquals(d.getMean(), row.accuracyMean(), 1e-12);
            assertEquals(d.getStandardDeviation(), row.accuracyStd(), 1e-12);
            assertEquals(d.getMin(), row.accuracyMin(), 0);
            assertEquals(d.getMax(), row.accuracyMax(), 0);
            // t(0.975, 4) = 2.7764451051977987 (standard tables)
            assertEquals(2.7764451051977987 * d.getStandardDeviation() / Math.sqrt(5), row.accuracyCi95(), 1e-9);
            assertEquals(0.91, row.floatAccuracyMean(), 1e-12);
            assertEquals(0.003, row.quantizeSecondsMean(), 1e-12);
        }
        Row stored = spark.read().parquet(dir.resolve("out/summary.parquet").toString())
                .filter("operator = 'mquant'").first();
        assertEquals(report.summary().stream().filter(r -> r.operator().operator().equals("mquant")).findFirst().orElseThrow()
                .accuracyMean(), stored.getDouble(stored.fieldIndex("accuracy_mean")), 0);
    }

    @Test
    void resumeRunsOnlyWhatIsMissing() throws IOException {
        Sweep s = sweep("[0, 1, 2]");
        assertEquals(6, run(s, FakeExecutor.class).executed());
        RunReport second = run(s, FakeExecutor.class);
        assertEquals(0, second.executed());
        assertEquals(6, second.alreadyDone());
        Path victim = cellFiles().get(0);
        Files.delete(victim);
        RunReport third = run(s, FakeExecutor.class);
        assertEquals(1, third.executed());
        assertTrue(Files.exists(victim));
        RunReport extended = run(sweep("[0, 1, 2, 3]"), FakeExecutor.class);
        assertEquals(2, extended.executed(), "one more seed adds exactly one cell per operator");
        assertEquals(8, extended.totalCells());
        assertEquals(8, cellFiles().size());
    }

    @Test
    void throwingCellsBecomeFailedRowsAndRerun() throws IOException {
        Sweep s = sweep("[0, 1]");
        RunReport report = run(s, ThrowingExecutor.class);
        assertEquals(4, report.executed());
        assertEquals(2, report.failed().size());
        for (RunReport.FailedCell f : report.failed()) {
            assertEquals("mquant", f.operator());
            assertEquals(IllegalStateException.class.getName(), f.errorClass());
            assertTrue(f.error().contains(ThrowingExecutor.MESSAGE), f.error());
            assertTrue(f.describe().startsWith(f.cellId().substring(0, 12) + " mquant/data-free seed "), f.describe());
        }
        Dataset<Row> rows = spark.read().parquet(dir.resolve("out/cells").toString());
        assertEquals(2, rows.filter("status = 'OK'").count());
        Row failed = rows.filter("status = 'FAILED'").first();
        assertTrue(failed.isNullAt(failed.fieldIndex("accuracy")));
        assertEquals(IllegalStateException.class.getName(), failed.getString(failed.fieldIndex("error_class")));
        SummaryRow mquant = report.summary().stream().filter(r -> r.operator().operator().equals("mquant")).findFirst()
                .orElseThrow();
        assertEquals(0, mquant.n());
        assertEquals(2, mquant.nFailed());
        assertTrue(Double.isNaN(mquant.accuracyMean()), "no OK cell: the mean is undefined");

        RunReport rerun = run(s, FakeExecutor.class);
        assertEquals(2, rerun.toRun());
        assertEquals(2, rerun.executed());
        assertTrue(rerun.failed().isEmpty());
        assertEquals(4, cellFiles().size(), "a rerun replaces the FAILED row, never adds one");
        assertEquals(4, spark.read().parquet(dir.resolve("out/cells").toString()).filter("status = 'OK'").count());
    }

    @Test
    void secondDriverOnTheSameDirectoryIsRefused() throws IOException {
        Sweep s = sweep("[0]");
        OutputLayout layout = new OutputLayout(dir.resolve("out").toString());
        try (RunLock held = RunLock.acquire(layout, spark.sparkContext().hadoopConfiguration(), false)) {
            RunLock.LockedException e = assertThrows(RunLock.LockedException.class, () -> run(s, FakeExecutor.class));
            assertTrue(e.getMessage().contains("in use by another ternsweep driver"), e.getMessage());
            assertTrue(e.getMessage().contains("pid=" + ProcessHandle.current().pid()), e.getMessage());
            assertTrue(e.getMessage().contains("--force-unlock"), e.getMessage());
            assertFalse(Files.exists(dir.resolve("out/cells")), "nothing ran");
            RunLock.LockedException refused = assertThrows(RunLock.LockedException.class, () -> new SweepRunner(spark,
                    new PrintWriter(Writer.nullWriter()), false).run(s, options(FakeExecutor.class, true)));
            assertTrue(refused.getMessage().contains("--force-unlock refused"), refused.getMessage());
            assertFalse(Files.exists(dir.resolve("out/cells")), "nothing ran");
        }
        assertEquals(2, run(s, FakeExecutor.class).executed(), "runs once the holder is gone");
    }

    @Test
    void unusableExecutorClassIsRefusedBeforeAnythingRuns() {
        Sweep s = sweep("[0]");
        BadInputException e = assertThrows(BadInputException.class,
                () -> new SweepRunner(spark, new PrintWriter(Writer.nullWriter()), false).run(s, new RunOptions(dir.resolve("out").toString(),
                        dir.toString(), null, 1, false, "org.example.Missing", false)));
        assertTrue(e.getMessage().contains("org.example.Missing"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("out")));
    }

    @Test
    void cudaIsRefusedBeforeAnythingIsWritten() {
        Sweep s = SweepParser.parse("t.yaml", SWEEP.replace("SEEDS", "[0]") + "engine: cuda\n", List.of());
        BadInputException e = assertThrows(BadInputException.class,
                () -> new SweepRunner(spark, new PrintWriter(Writer.nullWriter()), false).run(s,
                        options(FakeExecutor.class, false)));
        assertTrue(e.getMessage().startsWith("engine 'cuda' cannot run: "), e.getMessage());
        assertTrue(e.getMessage().contains("the driver's host"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("out")), "no sweep.yaml, no lock, no cell");
    }
}
