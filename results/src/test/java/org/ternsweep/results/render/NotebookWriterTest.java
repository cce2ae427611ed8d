package org.ternsweep.results.render;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writes a whole report once and checks its files; the notebook is validated against the nbformat schema
 * and converted to HTML with the real Jupyter tools where they are installed (Debian python3-nbformat,
 * jupyter-nbconvert), and those two checks are skipped with a message where they are not.
 */
class NotebookWriterTest {
    @TempDir
    static Path dir;
    static List<Path> written;

    @BeforeAll
    static void writeReport() {
        System.setProperty("java.awt.headless", "true");
        written = ReportWriter.writeAll(SyntheticReport.build("mquant", "adaround"), dir);
    }

    @Test
    void writesEveryFile() {
        for (String f : List.of("report.md", "tables.tex", "summary.csv", "comparisons.csv", "report.ipynb",
                "cells.csv", "layers.csv", "plots/accuracy_strip.png", "plots/accuracy.png", "plots/layer_zero_fraction.png", "plots/layer_sqnr.png", "plots/processing_time.png")) {
            assertTrue(written.contains(dir.resolve(f)) && Files.isRegularFile(dir.resolve(f)), "missing " + f);
        }
    }

    @Test
    void plotsArePngImages() throws IOException {
        for (Path p : written.stream().filter(p -> p.toString().endsWith(".png")).toList()) {
            byte[] head = Arrays.copyOf(Files.readAllBytes(p), 8);
            assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}, head, p.toString());
            java.awt.image.BufferedImage img = javax.imageio.ImageIO.read(p.toFile());
            assertEquals(520, img.getHeight(), p.toString());
        }
    }

    @Test
    void notebookHasTablesPlotsAndPrefilledPythonCells() throws IOException {
        JsonNode nb = new ObjectMapper().readTree(dir.resolve("report.ipynb").toFile());
        assertEquals(4, nb.get("nbformat").asInt());
        assertEquals(5, nb.get("nbformat_minor").asInt());
        List<JsonNode> code = new ArrayList<>();
        StringBuilder markdown = new StringBuilder();
        nb.get("cells").forEach(c -> {
            if (c.get("cell_type").asText().equals("code")) {
                code.add(c);
            } else {
                c.get("source").forEach(l -> markdown.append(l.asText()));
            }
        });
        assertTrue(markdown.toString().contains("| model | method | granularity | seeds | float |"), "tables in markdown");
        assertTrue(markdown.toString().contains("```yaml\nsweep: quick"), "resolved sweep file");
        assertEquals(6, code.size(), "one load cell + one per figure");
        String load = join(code.get(0).get("source"));
        assertTrue(load.contains("pd.read_parquet('cells')") && load.contains("pd.read_parquet('summary.parquet')")
                && load.contains("pd.read_parquet('comparisons.parquet')"), load);
        assertTrue(join(code.get(0).get("outputs").get(0).get("text")).startsWith("cells: 24 rows, summary: 6 rows"));
        for (JsonNode c : code.subList(1, code.size())) {
            JsonNode data = c.get("outputs").get(0).get("data");
            byte[] png = java.util.Base64.getDecoder().decode(data.get("image/png").asText());
            assertEquals('P', png[1]);
            assertTrue(join(c.get("source")).contains("plt.show()"));
        }
    }

    @Test
    void notebookValidatesAgainstTheNbformatSchema() throws Exception {
        String python = pythonWith("nbformat").orElse(null);
        Assumptions.assumeTrue(python != null, "skipped: neither python3 nor /usr/bin/python3 can import nbformat;"
                + " install the Debian package python3-nbformat (.ci/run does) to run this check");
        Result r = run(List.of(python, "-c", "import sys, nbformat; nbformat.validate(nbformat.read(sys.argv[1], as_version=4))",
                dir.resolve("report.ipynb").toString()));
        assertEquals(0, r.code, r.output);
    }

    @Test
    void notebookConvertsToHtml() throws Exception {
        Result version = runQuietly(List.of("jupyter", "nbconvert", "--version"));
        Assumptions.assumeTrue(version != null && version.code == 0,
                "skipped: 'jupyter nbconvert' is not installed; install the Debian package jupyter-nbconvert (.ci/run does)");
        Path html = dir.resolve("html");
        Result r = run(List.of("jupyter", "nbconvert", "--to", "html", "--output-dir", html.toString(),
                dir.resolve("report.ipynb").toString()));
        assertEquals(0, r.code, r.output);
        String page = Files.readString(html.resolve("report.html"), StandardCharsets.UTF_8);
        assertTrue(page.contains("data:image/png;base64,") && page.contains("read_parquet"), "html lacks plots or code");
    }

    private static String join(JsonNode lines) {
        StringBuilder s = new StringBuilder();
        lines.forEach(l -> s.append(l.asText()));
        return s.toString();
    }

    private static Optional<String> pythonWith(String module) {
        for (String python : List.of("python3", "/usr/bin/python3")) {
            Result r = runQuietly(List.of(python, "-c", "import " + module));
            if (r != null && r.code == 0) {
                return Optional.of(python);
            }
        }
        return Optional.empty();
    }

    private record Result(int code, String output) {
    }

    /** Runs a command; null when it cannot be started at all (not installed). */
    private static Result runQuietly(List<String> command) {
        try {
            return run(command);
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command, e);
        }
    }

    private static Result run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("timed out after 120 s: " + command);
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }
}
