package org.ternsweep.driver.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ternsweep.core.CellSpec;
import org.ternsweep.driver.cli.Main;
import org.ternsweep.driver.spark.FakeExecutor;
import org.ternsweep.driver.spark.RunOptions;
import org.ternsweep.driver.spark.RunReport;
import org.ternsweep.driver.spark.SparkSessions;
import org.ternsweep.driver.spark.SweepRunner;
import org.ternsweep.driver.sweep.Grid;
import org.ternsweep.driver.sweep.Sweep;
import org.ternsweep.driver.sweep.SweepParser;
import org.ternsweep.results.model.CellRow;
import org.ternsweep.results.model.ComparisonRow;
import org.ternsweep.results.model.FlatRows;
import org.ternsweep.results.store.CellReader;
import org.ternsweep.results.store.CellSchema;
import org.ternsweep.results.store.OutputLayout;
import org.ternsweep.results.store.StoredCell;

/**
 * One real small sweep through local Spark with the deterministic {@link FakeExecutor} (3 seeds × native,
 * mquant, tquant), then the report built at the end of the run, and {@code ternsweep report} on a copy.
 */
class SweepReportTest {
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
    void cellReaderGivesBackWhatTheExecutorReported() throws IOException {
        List<StoredCell> cells = CellReader.read(new OutputLayout(out.toString()), new Configuration());
        List<CellSpec> grid = Grid.expand(sweep);
        assertEquals(grid.size(), cells.size());
        for (StoredCell c : cells) {
            CellRow r = c.row();
            assertEquals(CellRow.Status.OK, r.status());
            assertEquals(FakeExecutor.accuracyOf(r.cellId()), r.accuracy(), 0);
            assertEquals(0.91, r.floatAccuracy(), 0);
            assertEquals(0.001 * (r.seed() + 1), r.quantizeSeconds(), 0);
            assertEquals("{\"bias_correction\":false,\"cle\":false}", r.methodOptions());
            assertEquals(2, r.layers().size());
            assertTrue(Double.isNaN(r.layers().get(0).fracZero()), "int8 layer: null code fractions read as NaN");
            assertEquals(0.4, r.layers().get(1).fracZero(), 0);
            assertEquals(7.0, r.layers().get(1).sqnrDb(), 0);
            assertEquals("fake", c.provenance().get("executor_note"));
            assertEquals(spark.sparkContext().applicationId(), c.provenance().get("spark_app_id"));
            assertTrue(c.finishedAtMicros() > 0);
        }
    }

    @Test
    void summaryAndComparisonsParquetHaveFlatRowsColumnsAndAreReadableBySpark() {
        Dataset<Row> summary = spark.read().parquet(out.resolve("summary.parquet").toString());
        assertEquals(FlatRows.summaryColumns(), Arrays.asList(summary.columns()));
        assertTrue(Arrays.asList(summary.columns()).containsAll(List.of("model", "operator", "granularity", "method",
                "n", "accuracy_mean", "accuracy_std", "accuracy_ci95", "accuracy_min", "accuracy_max",
                "quantize_seconds_mean")), "the columns issue 2 requires");
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
    }

    @Test
    void notebookUsesOnlyColumnsTheDriverWrites() throws IOException {
        JsonNode nb = new ObjectMapper().readTree(out.resolve("report.ipynb").toFile());
        Set<String> known = new HashSet<>(CellSchema.COLUMNS);
        known.addAll(FlatRows.summaryColumns());
        known.addAll(FlatRows.comparisonColumns());
        known.addAll(List.of("layer", "scheme", "weights", "lambda", "threshold", "frac_neg", "frac_zero", "frac_pos",
                "rel_mse", "sqnr_db"));
        // what the Python code names itself: a derived column, a value it filters on, an axis label, a
        // matplotlib marker, and the cells/ directory it reads
        Set<String> pythonSide = Set.of("group", "ternary", "seconds", "o", "cells");
        List<String> unknown = new ArrayList<>();
        int checked = 0;
        Pattern quoted = Pattern.compile("'([a-z][a-z0-9_]*)'");
        for (JsonNode cell : nb.get("cells")) {
            if (!cell.get("cell_type").asText().equals("code")) {
                continue;
            }
            StringBuilder src = new StringBuilder();
            cell.get("source").forEach(l -> src.append(l.asText()));
            Matcher m = quoted.matcher(src);
            while (m.find()) {
                checked++;
                if (!known.contains(m.group(1)) && !pythonSide.contains(m.group(1))) {
                    unknown.add(m.group(1));
                }
            }
            assertFalse(src.toString().contains("read_parquet('") && !src.toString().contains("read_parquet('cells')"),
                    "the notebook reads cells/ by relative path");
        }
        assertTrue(checked > 10, "the notebook's code names columns: " + checked);
        assertEquals(List.of(), unknown, "column names in report.ipynb that no Parquet file of the driver has");
    }

    @Test
    void notebookValidatesWithNbformat() throws IOException, InterruptedException {
        String python = null;
        for (String p : List.of("/usr/bin/python3", "python3")) {
            if (exitCode(List.of(p, "-c", "import nbformat")) == 0) {
                python = p;
                break;
            }
        }
        Assumptions.assumeTrue(python != null, "skipped: no python3 can import nbformat; install the Debian package"
                + " python3-nbformat to run this check");
        Process p = new ProcessBuilder(python, "-c",
                "import sys, nbformat; nbformat.validate(nbformat.read(sys.argv[1], as_version=4)); print('valid')",
                out.resolve("report.ipynb").toString()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "nbformat timed out");
        assertEquals(0, p.exitValue(), output);
        assertTrue(output.contains("valid"), output);
    }

    /** Exit code of a command, or -1 when it cannot be started (not installed). */
    private static int exitCode(List<String> command) throws InterruptedException {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(60, TimeUnit.SECONDS) ? p.exitValue() : -1;
        } catch (IOException e) {
            return -1;
        }
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
