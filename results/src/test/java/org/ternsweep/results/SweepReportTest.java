package org.ternsweep.results;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ternsweep.core.CellSpec;
import org.ternsweep.results.model.CellRow;
import org.ternsweep.results.model.ComparisonRow;
import org.ternsweep.results.model.FlatRows;
import org.ternsweep.results.model.SummaryRow;
import org.ternsweep.results.render.Plots;
import org.ternsweep.results.store.CellFixtures;
import org.ternsweep.results.store.CellReader;
import org.ternsweep.results.store.CellSchema;
import org.ternsweep.results.store.OutputLayout;
import org.ternsweep.results.store.StoredCell;

/**
 * {@link SweepReport} on an output directory written by the real cell writer (3 seeds × native, mquant,
 * tquant, plus one stored cell outside the grid): every file, the Parquet columns, the join of cells with
 * summary and comparisons, the same files again from a copy, the header's provenance and the notebook.
 */
class SweepReportTest {
    static final String YAML = "name: rpt\nseeds: [0, 1, 2]\noperators: [native, mquant, tquant]\n";

    /** Every file the report renders (plots aside). */
    static final List<String> REPORT_FILES = List.of("report.md", "tables.tex", "summary.csv", "comparisons.csv",
            "cells.csv", "layers.csv", "report.ipynb");

    @TempDir
    static Path dir;

    static Path out;
    static SweepReport.SweepGrid grid;
    static SweepReport.Result result;
    static final Configuration CONF = new Configuration();

    @BeforeAll
    static void buildReport() throws IOException {
        out = dir.resolve("out");
        OutputLayout layout = new OutputLayout(out.toString());
        Set<String> ids = new HashSet<>();
        for (CellSpec s : CellFixtures.grid(3)) {
            CellFixtures.store(layout, CellFixtures.ok(s), CellFixtures.WRITTEN, CONF);
            ids.add(s.cellId());
        }
        CellFixtures.store(layout, CellFixtures.ok(CellFixtures.spec("native", Map.of(), 99)), CellFixtures.WRITTEN,
                CONF);
        Files.writeString(out.resolve("sweep.yaml"), YAML);
        grid = new SweepReport.SweepGrid("rpt", YAML, "native", ids);
        result = SweepReport.build(layout, CONF, grid, null);
    }

    @Test
    void buildWritesEveryReportFileAndBothParquetFilesForTheGridsCellsOnly() throws IOException {
        for (String f : REPORT_FILES) {
            assertTrue(Files.size(out.resolve(f)) > 0, f);
        }
        try (Stream<Path> plots = Files.list(out.resolve("plots"))) {
            assertTrue(plots.anyMatch(p -> p.toString().endsWith(".png")), "plots/*.png");
        }
        assertEquals(9, result.data().cells().size(), "the stored cell outside the grid is left out");
        assertEquals(3, result.data().summary().size());
        assertTrue(result.data().summary().stream().allMatch(r -> r.n() == 3), result.data().summary().toString());
        // vs native: mquant, tquant; between: mquant vs tquant
        assertEquals(3, result.data().comparisons().size());
        String md = Files.readString(out.resolve("report.md"));
        assertTrue(md.contains("# Sweep `rpt`"), md);
        assertTrue(md.contains("Paired comparisons against `native`"), md);
    }

    @Test
    void summaryAndComparisonsParquetHaveFlatRowsColumnsAndTheStatisticsValues() throws IOException {
        List<Group> summary = rows(out.resolve("summary.parquet"));
        assertEquals(3, summary.size());
        assertEquals(FlatRows.summaryColumns(), columns(summary.get(0)));
        SummaryRow mquant = result.data().summary().stream().filter(s -> s.operator().operator().equals("mquant"))
                .findFirst().orElseThrow();
        Group g = summary.stream().filter(r -> r.getString("operator", 0).equals("mquant")).findFirst().orElseThrow();
        assertEquals(mquant.accuracyMean(), g.getDouble("accuracy_mean", 0), 0);
        assertEquals(3, g.getInteger("n", 0));

        List<Group> comparisons = rows(out.resolve("comparisons.parquet"));
        assertEquals(3, comparisons.size());
        assertEquals(FlatRows.comparisonColumns(), columns(comparisons.get(0)));
        ComparisonRow c = result.data().comparisons().stream().filter(x -> x.kind() == ComparisonRow.Kind.VS_REFERENCE
                && x.operator().operator().equals("tquant")).findFirst().orElseThrow();
        Group r = comparisons.stream().filter(x -> x.getString("kind", 0).equals("vs_reference")
                && x.getString("operator", 0).equals("tquant")).findFirst().orElseThrow();
        assertEquals(c.meanDiff(), r.getDouble("mean_diff", 0), 0);
        assertEquals(c.tPValueHolm(), r.getDouble("t_p_value_holm", 0), 0);
        assertEquals(3, r.getInteger("n_pairs", 0));
    }

    /**
     * A join of the cells with summary.parquet, comparisons.parquet or summary.csv on (operator,
     * operator_options) finds a partner for every cell: one canonical form of "no options", {@code {}}.
     */
    @Test
    void cellsJoinSummaryAndComparisonsOnOperatorAndOptionsWithoutLosingRows() throws IOException {
        List<CellRow> cells = CellReader.read(new OutputLayout(out.toString()), CONF).stream().map(StoredCell::row)
                .filter(c -> grid.cellIds().contains(c.cellId())).toList();
        assertEquals(9, cells.size());
        assertTrue(cells.stream().anyMatch(c -> c.operator().equals("native") && c.operatorOptions().equals("{}")));

        Set<List<String>> summary = rows(out.resolve("summary.parquet")).stream()
                .map(g -> List.of(g.getString("operator", 0), g.getString("operator_options", 0)))
                .collect(Collectors.toSet());
        Set<List<String>> csv = csvRows(out.resolve("summary.csv")).stream()
                .map(r -> List.of(r.get("operator"), r.get("operator_options"))).collect(Collectors.toSet());
        Set<List<String>> compared = new HashSet<>();
        for (Group g : rows(out.resolve("comparisons.parquet"))) {
            compared.add(List.of(g.getString("operator", 0), g.getString("operator_options", 0)));
            compared.add(List.of(g.getString("baseline", 0), g.getString("baseline_options", 0)));
        }
        for (CellRow c : cells) {
            List<String> key = List.of(c.operator(), c.operatorOptions());
            assertTrue(summary.contains(key), key + " not in summary.parquet " + summary);
            assertTrue(csv.contains(key), key + " not in summary.csv " + csv);
            assertTrue(compared.contains(key), key + " not in comparisons.parquet " + compared);
        }
        assertEquals(summary, cells.stream().map(c -> List.of(c.operator(), c.operatorOptions()))
                .collect(Collectors.toSet()), "and no summary row without cells");
    }

    @Test
    void buildingAgainFromACopyInAnotherDirectoryGivesTheSameFiles() throws IOException {
        Path copy = dir.resolve("elsewhere/copied-out");
        Files.createDirectories(copy.resolve("cells"));
        try (Stream<Path> cells = Files.list(out.resolve("cells"))) {
            for (Path p : cells.filter(Files::isRegularFile).toList()) {
                Files.copy(p, copy.resolve("cells").resolve(p.getFileName()));
            }
        }
        SweepReport.build(new OutputLayout(copy.toUri().toString()), CONF, grid, null);
        for (String f : REPORT_FILES) {
            assertEquals(Files.readString(out.resolve(f)), Files.readString(copy.resolve(f)), f);
        }
        try (Stream<Path> plots = Files.list(out.resolve("plots"))) {
            for (Path p : plots.toList()) {
                assertArrayEquals(Files.readAllBytes(p),
                        Files.readAllBytes(copy.resolve("plots").resolve(p.getFileName())), p.getFileName().toString());
            }
        }
        for (String parquet : List.of("summary.parquet", "comparisons.parquet")) {
            assertEquals(rows(out.resolve(parquet)).toString(), rows(copy.resolve(parquet)).toString(), parquet);
        }
    }

    @Test
    void aReferenceGivenToTheBuildReplacesTheSweeps() throws IOException {
        Path copy = dir.resolve("ref-copy");
        Files.createDirectories(copy.resolve("cells"));
        try (Stream<Path> cells = Files.list(out.resolve("cells"))) {
            for (Path p : cells.filter(Files::isRegularFile).toList()) {
                Files.copy(p, copy.resolve("cells").resolve(p.getFileName()));
            }
        }
        SweepReport.Result r = SweepReport.build(new OutputLayout(copy.toString()), CONF, grid, "tquant");
        assertEquals(2, r.data().comparisons().stream().filter(c -> c.kind() == ComparisonRow.Kind.VS_REFERENCE
                && c.baseline().operator().equals("tquant")).count());
        assertEquals(2, rows(copy.resolve("comparisons.parquet")).stream()
                .filter(g -> g.getString("kind", 0).equals("vs_reference")
                        && g.getString("baseline", 0).equals("tquant")).count());
        assertTrue(Files.readString(copy.resolve("report.md")).contains("Paired comparisons against `tquant`"));
    }

    @Test
    void headerStatesTheRunsProvenanceAndLeavesOutWhatDiffersPerCell() throws IOException {
        String md = Files.readString(out.resolve("report.md"));
        assertTrue(md.contains("executor\\_note: `fixture`"), md);
        assertTrue(md.contains("host: `fixture-host`"), md);
        assertTrue(md.contains("sweep\\_yaml\\_sha256: `"), md);
        assertTrue(md.contains("cells: `9 (9 OK, 0 FAILED)`"), md);
        assertTrue(md.contains("cells\\_run\\_between: `2025-01-01T00:00:00Z and 2025-01-01T00:00:02.950Z`"), md);
        for (String perCell : List.of("executor\\_id", "cell\\_seconds", "cell\\_started\\_at", "cell\\_finished\\_at",
                "task\\_started\\_at", "task\\_finished\\_at")) {
            assertFalse(md.contains(perCell), perCell + " is left out: " + md);
        }
    }

    /** Cells of older output directories name the task's times started_at and ended_at. */
    @Test
    void theRunsTimeSpanIsReadFromOlderRowsToo() {
        CellRow row = result.data().cells().get(0);
        Map<String, String> facts = ProvenanceFacts.of(List.of(
                new StoredCell(row, Map.of("started_at", "2024-05-01T10:00:00Z", "ended_at", "2024-05-01T10:00:05Z",
                        "finished_at", "2024-05-01T10:00:04Z", "host", "h"), 1L)), "");
        assertEquals("2024-05-01T10:00:00Z and 2024-05-01T10:00:05Z", facts.get("cells_run_between"));
        assertEquals(Set.of("cells", "cells_run_between", "host"), facts.keySet());
    }

    @Test
    void notebookUsesOnlyColumnsTheStoreWrites() throws IOException {
        JsonNode nb = new ObjectMapper().readTree(out.resolve("report.ipynb").toFile());
        Set<String> known = new HashSet<>(CellSchema.COLUMNS);
        known.addAll(FlatRows.summaryColumns());
        known.addAll(FlatRows.comparisonColumns());
        known.addAll(List.of("layer", "scheme", "weights", "lambda", "threshold", "frac_neg", "frac_zero", "frac_pos",
                "rel_mse", "sqnr_db"));
        // what the Python code names itself: a derived column, a value it filters on, an axis label, a
        // matplotlib marker, and the cells/ directory it reads
        Set<String> pythonSide = Set.of("group", "ternary", "seconds", "o", "cells", "black", "right");
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
        assertEquals(List.of(), unknown, "column names in report.ipynb that no Parquet file of the store has");
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
        String output = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "nbformat timed out");
        assertEquals(0, p.exitValue(), output);
        assertTrue(output.contains("valid"), output);
    }

    /**
     * The notebook runs top to bottom with a real kernel (Debian jupyter-nbconvert, python3-ipykernel,
     * python3-pandas, python3-matplotlib, as .ci/run installs them): it reads the Parquet files where the kernel
     * has pyarrow and the CSV twins otherwise, and every figure cell draws a PNG without an error.
     */
    @Test
    void notebookExecutesTopToBottom() throws IOException, InterruptedException {
        Assumptions.assumeTrue(exitCode(List.of("jupyter", "nbconvert", "--version")) == 0
                        && exitCode(List.of("/usr/bin/python3", "-c", "import ipykernel, pandas, matplotlib")) == 0,
                "skipped: needs jupyter nbconvert and a python3 kernel with pandas and matplotlib; install the Debian"
                        + " packages jupyter-nbconvert, python3-ipykernel, python3-pandas, python3-matplotlib"
                        + " (.ci/run does)");
        Path executed = dir.resolve("executed");
        Process p = new ProcessBuilder("jupyter", "nbconvert", "--to", "notebook", "--execute",
                "--ExecutePreprocessor.timeout=300", "--output-dir", executed.toString(), "--output", "run.ipynb",
                out.resolve("report.ipynb").toString()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(p.waitFor(600, TimeUnit.SECONDS), "nbconvert --execute timed out");
        assertEquals(0, p.exitValue(), output);
        JsonNode nb = new ObjectMapper().readTree(executed.resolve("run.ipynb").toFile());
        int figures = 0;
        StringBuilder printed = new StringBuilder();
        for (JsonNode cell : nb.get("cells")) {
            if (!cell.get("cell_type").asText().equals("code")) {
                continue;
            }
            for (JsonNode o : cell.get("outputs")) {
                assertFalse(o.get("output_type").asText().equals("error"), o.toString());
                if (o.has("data") && o.get("data").has("image/png")) {
                    figures++;
                }
                if (o.has("text")) {
                    o.get("text").forEach(l -> printed.append(l.asText()));
                }
            }
        }
        assertTrue(printed.toString().contains("cells: 9 rows, summary: 3 rows, comparisons: 3 rows"), printed.toString());
        assertEquals(Plots.draw(result.data()).size(), figures, "every figure redrawn by the notebook");
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

    /** The rows of a one-file Parquet table. */
    static List<Group> rows(Path file) throws IOException {
        List<Group> out = new ArrayList<>();
        try (ParquetReader<Group> r = ParquetReader.builder(new GroupReadSupport(),
                new org.apache.hadoop.fs.Path(file.toUri())).withConf(CONF).build()) {
            for (Group g = r.read(); g != null; g = r.read()) {
                out.add(g);
            }
        }
        return out;
    }

    private static List<String> columns(Group g) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < g.getType().getFieldCount(); i++) {
            names.add(g.getType().getFieldName(i));
        }
        return names;
    }

    /** The rows of a CSV file with a header line, as column → value (RFC 4180 quoting, no line breaks in values). */
    static List<Map<String, String>> csvRows(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        List<String> header = csvFields(lines.get(0));
        List<Map<String, String>> out = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            List<String> fields = csvFields(line);
            Map<String, String> row = new java.util.LinkedHashMap<>();
            for (int i = 0; i < header.size(); i++) {
                row.put(header.get(i), fields.get(i));
            }
            out.add(row);
        }
        return out;
    }

    private static List<String> csvFields(String line) {
        List<String> fields = new ArrayList<>();
        StringBuilder f = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (quoted && ch == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                f.append('"');
                i++;
            } else if (ch == '"') {
                quoted = !quoted;
            } else if (ch == ',' && !quoted) {
                fields.add(f.toString());
                f.setLength(0);
            } else {
                f.append(ch);
            }
        }
        fields.add(f.toString());
        return fields;
    }
}
