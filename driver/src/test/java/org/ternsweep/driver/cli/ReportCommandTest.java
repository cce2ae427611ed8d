package org.ternsweep.driver.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ternsweep.driver.spark.FakeExecutor;
import org.ternsweep.driver.spark.RunOptions;
import org.ternsweep.driver.spark.RunReport;
import org.ternsweep.driver.spark.SparkSessions;
import org.ternsweep.driver.spark.SweepRunner;
import org.ternsweep.driver.sweep.Sweep;
import org.ternsweep.driver.sweep.SweepParser;
import org.ternsweep.results.model.ComparisonRow;
import org.ternsweep.results.model.FlatRows;

/**
 * One real small sweep through local Spark with the deterministic {@link FakeExecutor} (3 seeds × native,
 * mquant, tquant), then the report built at the end of the run, {@code ternsweep report} on a copy, and
 * the files read back by Spark. What the report holds is tested in the results module (its SweepReportTest).
 */
class ReportCommandTest {
    static final String SWEEP = """
            name: rpt
            models: [cnn-small]
            seeds: [0, 1, 2]
            operators: [native, mquant, tquant]
            granularities: [per-tensor]
            methods: [data-free]
            """;

    /** Every file the report renders (plots aside). */
    static final List<String> REPORT_FILES = List.of("report.md", "tables.tex", "summary.csv", "comparisons.csv",
            "report.ipynb");

    @TempDir
    static Path dir;

    static Path out;
    static Sweep sweep;
    static RunReport run;
    static SparkSession spark;

    @BeforeAll
    static void runSweep() throws IOException {
        spark = SparkSessions.create("local[2]", 1, "ternsweep-report-test", false);
        out = dir.resolve("out");
        sweep = SweepParser.parse("rpt.yaml", SWEEP, List.of());
        run = new SweepRunner(spark, new PrintWriter(Writer.nullWriter()), false).run(sweep,
                new RunOptions(out.toString(), dir.resolve("cache").toString(), null, 1, false,
                        FakeExecutor.class.getName(), false));
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    @Test
    void runEndsWithEveryReportFileAndBothParquetFiles() throws IOException {
        for (String f : REPORT_FILES) {
            assertTrue(Files.size(out.resolve(f)) > 0, f);
        }
        try (Stream<Path> plots = Files.list(out.resolve("plots"))) {
            assertTrue(plots.anyMatch(p -> p.toString().endsWith(".png")), "plots/*.png");
        }
        assertEquals(3, run.summary().size());
        // vs native: mquant, tquant; between: mquant vs tquant
        assertEquals(3, run.comparisons().size());
        String md = Files.readString(out.resolve("report.md"));
        assertTrue(md.contains("# Sweep `rpt`"), md);
        assertTrue(md.contains("Paired comparisons against `native`"), md);
    }

    @Test
    void summaryAndComparisonsParquetHaveFlatRowsColumnsAndAreReadableBySpark() {
        Dataset<Row> summary = spark.read().parquet(out.resolve("summary.parquet").toString());
        assertEquals(FlatRows.summaryColumns(), Arrays.asList(summary.columns()));
        assertTrue(Arrays.asList(summary.columns()).containsAll(List.of("model", "operator", "granularity", "method",
                "n", "accuracy_mean", "accuracy_std", "accuracy_ci95", "accuracy_min", "accuracy_max",
                "quantize_seconds_mean")), "the summary columns the README and results-schema promise");
        assertEquals(3, summary.count());
        Row mquant = summary.filter("operator = 'mquant'").first();
        double expected = run.summary().stream().filter(s -> s.operator().operator().equals("mquant")).findFirst()
                .orElseThrow().accuracyMean();
        assertEquals(expected, mquant.getDouble(mquant.fieldIndex("accuracy_mean")), 0);
        assertEquals(3, mquant.getInt(mquant.fieldIndex("n")));

        Dataset<Row> comparisons = spark.read().parquet(out.resolve("comparisons.parquet").toString());
        assertEquals(FlatRows.comparisonColumns(), Arrays.asList(comparisons.columns()));
        assertEquals(3, comparisons.count());
        assertEquals(2, comparisons.filter("kind = 'vs_reference' and baseline = 'native'").count());
        Row r = comparisons.filter("kind = 'vs_reference' and operator = 'tquant'").first();
        ComparisonRow c = run.comparisons().stream().filter(x -> x.kind() == ComparisonRow.Kind.VS_REFERENCE
                && x.operator().operator().equals("tquant")).findFirst().orElseThrow();
        assertEquals(3, r.getInt(r.fieldIndex("n_pairs")));
        assertEquals(c.meanDiff(), r.getDouble(r.fieldIndex("mean_diff")), 0);
        assertEquals(c.tPValueHolm(), r.getDouble(r.fieldIndex("t_p_value_holm")), 0);
        assertEquals("boolean", comparisons.schema().apply("below_seed_noise").dataType().typeName());
    }

    @Test
    void reportOnACopyInAnotherDirectoryReproducesTheSameFiles() throws IOException {
        Path copy = dir.resolve("elsewhere/copied-out");
        copyTree(out, copy, Set.of("report.md", "tables.tex", "summary.csv", "comparisons.csv", "report.ipynb",
                "plots", "summary.parquet", "comparisons.parquet"));
        assertFalse(Files.exists(copy.resolve("report.md")));
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        int code = Main.execute(new String[]{"report", copy.toString()}, new PrintStream(stdout, true, StandardCharsets.UTF_8),
                new PrintStream(stderr, true, StandardCharsets.UTF_8));
        String console = stdout.toString(StandardCharsets.UTF_8);
        assertEquals(Main.OK, code, console + stderr.toString(StandardCharsets.UTF_8));
        assertTrue(console.contains("cnn-small / data-free / per-tensor"), console);
        assertTrue(console.contains("vs native, paired by seed"), console);
        for (String f : REPORT_FILES) {
            assertEquals(Files.readString(out.resolve(f)), Files.readString(copy.resolve(f)), f);
        }
        try (Stream<Path> plots = Files.list(out.resolve("plots"))) {
            for (Path p : plots.toList()) {
                assertArrayEquals(Files.readAllBytes(p), Files.readAllBytes(copy.resolve("plots").resolve(p.getFileName())),
                        p.getFileName().toString());
            }
        }
        for (String parquet : List.of("summary.parquet", "comparisons.parquet")) {
            Dataset<Row> a = spark.read().parquet(out.resolve(parquet).toString());
            Dataset<Row> b = spark.read().parquet(copy.resolve(parquet).toString());
            assertEquals(a.collectAsList(), b.collectAsList(), parquet);
        }
    }

    @Test
    void referenceOptionChangesTheComparisons() throws IOException {
        Path copy = dir.resolve("ref-copy");
        copyTree(out, copy, Set.of());
        int code = Main.execute(new String[]{"report", copy.toString(), "--reference", "tquant"},
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        assertEquals(Main.OK, code);
        Dataset<Row> comparisons = spark.read().parquet(copy.resolve("comparisons.parquet").toString());
        assertEquals(2, comparisons.filter("kind = 'vs_reference' and baseline = 'tquant'").count());
        assertTrue(Files.readString(copy.resolve("report.md")).contains("Paired comparisons against `tquant`"));
    }

    /**
     * A directory named with a space, '%', '#' or a non-ASCII letter is read and written under its own name, and
     * never under its percent-encoded name (which a second encoding would produce), even when a directory of
     * that literal name exists: that one is left untouched.
     */
    @Test
    void reportOnPathsWithSpacesPercentHashAndNonAsciiNeverEncodesTwice() throws IOException {
        Set<String> outputs = Set.of("report.md", "tables.tex", "summary.csv", "comparisons.csv", "report.ipynb",
                "plots", "summary.parquet", "comparisons.parquet");
        for (String name : List.of("dir with spaces", "100% done", "run#2", "naïve-Ü-δ")) {
            Path copy = dir.resolve("odd").resolve(name);
            copyTree(out, copy, outputs);
            String encodedName = Path.of(copy.toUri().getRawPath()).getFileName().toString();
            assertFalse(encodedName.equals(name), encodedName);
            Path encoded = dir.resolve("odd").resolve(encodedName);
            copyTree(out, encoded, outputs);
            List<String> before;
            try (Stream<Path> files = Files.walk(encoded)) {
                before = files.map(p -> encoded.relativize(p).toString()).sorted().toList();
            }
            ByteArrayOutputStream stdout = new ByteArrayOutputStream();
            ByteArrayOutputStream stderr = new ByteArrayOutputStream();
            int code = Main.execute(new String[]{"report", copy.toString()},
                    new PrintStream(stdout, true, StandardCharsets.UTF_8),
                    new PrintStream(stderr, true, StandardCharsets.UTF_8));
            String console = stdout.toString(StandardCharsets.UTF_8);
            assertEquals(Main.OK, code, console + stderr.toString(StandardCharsets.UTF_8));
            assertTrue(console.contains("report files to " + copy), console);
            for (String f : REPORT_FILES) {
                assertEquals(Files.readString(out.resolve(f)), Files.readString(copy.resolve(f)), name + ": " + f);
            }
            assertTrue(Files.isRegularFile(copy.resolve("summary.parquet")), name);
            try (Stream<Path> files = Files.walk(encoded)) {
                assertEquals(before, files.map(p -> encoded.relativize(p).toString()).sorted().toList(),
                        "the directory named " + encodedName + " is untouched");
            }
        }
    }

    /** A truncated cell file (its .crc now stale) and a garbage one: the report skips both, says so, and is written. */
    @Test
    void reportSkipsUnreadableCellFilesAndSaysSo() throws IOException {
        Path copy = dir.resolve("corrupt-copy");
        copyTree(out, copy, Set.of("report.md", "summary.parquet"));
        List<Path> cellFiles;
        try (Stream<Path> files = Files.list(copy.resolve("cells"))) {
            cellFiles = files.filter(p -> p.getFileName().toString().endsWith(".parquet")
                    && !p.getFileName().toString().startsWith(".")).sorted().toList();
        }
        byte[] full = Files.readAllBytes(cellFiles.get(0));
        Files.write(cellFiles.get(0), Arrays.copyOf(full, full.length / 3));
        Files.writeString(cellFiles.get(1), "garbage");
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        int code = Main.execute(new String[]{"report", copy.toString()},
                new PrintStream(stdout, true, StandardCharsets.UTF_8),
                new PrintStream(stderr, true, StandardCharsets.UTF_8));
        String console = stdout.toString(StandardCharsets.UTF_8);
        assertEquals(Main.OK, code, console + stderr.toString(StandardCharsets.UTF_8));
        for (Path f : cellFiles.subList(0, 2)) {
            assertEquals(1, console.lines().filter(l -> l.startsWith("warning: skipped the unreadable cell file ")
                    && l.contains(f.getFileName().toString())).count(), console);
            assertTrue(Files.exists(f), "report moves nothing: " + f);
        }
        assertTrue(Files.readString(copy.resolve("report.md")).contains("cells: `7 (7 OK, 0 FAILED)`"),
                Files.readString(copy.resolve("report.md")));
        assertTrue(Files.isRegularFile(copy.resolve("summary.parquet")));
    }

    @Test
    void reportOnADirectoryWithoutSweepYamlIsBadInput() throws IOException {
        Path empty = Files.createDirectories(dir.resolve("not-an-output"));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.execute(new String[]{"report", empty.toString()},
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(Main.BAD_INPUT, code);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("sweep.yaml is missing"), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void headerStatesTheRunsProvenanceFromTheCells() throws IOException {
        String md = Files.readString(out.resolve("report.md"));
        assertTrue(md.contains("spark\\_app\\_id: `" + spark.sparkContext().applicationId() + "`"), md);
        assertTrue(md.contains("executor\\_note: `fake`"), md);
        assertTrue(md.contains("sweep\\_yaml\\_sha256: `"), md);
        assertTrue(md.contains("cells: `9 (9 OK, 0 FAILED)`"), md);
        assertFalse(md.contains("executor\\_id"), "per-task keys are left out: " + md);
        assertFalse(md.contains("task\\_started\\_at"), "per-task keys are left out: " + md);
    }

    /**
     * The user's join: Spark SQL joins the cells and summary.parquet on the group's axes and (operator,
     * operator_options), and every cell finds its summary row, native (an operator without options) included;
     * the summary pools model seeds, so model_seed is not a join key.
     */
    @Test
    void sparkJoinsCellsAndSummaryOnOperatorAndOptionsWithoutLosingRows() {
        Dataset<Row> cells = spark.read().parquet(out.resolve("cells").toString());
        cells.createOrReplaceTempView("report_test_cells");
        spark.read().parquet(out.resolve("summary.parquet").toString()).createOrReplaceTempView("report_test_summary");
        long joined = spark.sql("select * from report_test_cells join report_test_summary using (model, dataset,"
                + " method, method_options, granularity, first_last, operator, operator_options)").count();
        assertEquals(9, cells.count());
        assertEquals(9, joined);
        assertEquals(3, cells.filter("operator = 'native' and operator_options = '{}'").count());
    }

    /** Copies a directory tree, leaving out the top-level entries named in {@code skip}. */
    private static void copyTree(Path from, Path to, Set<String> skip) throws IOException {
        try (Stream<Path> all = Files.walk(from)) {
            for (Path p : all.toList()) {
                Path rel = from.relativize(p);
                if (rel.getNameCount() > 0 && skip.contains(rel.getName(0).toString())) {
                    continue;
                }
                Path target = to.resolve(rel.toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }
}
