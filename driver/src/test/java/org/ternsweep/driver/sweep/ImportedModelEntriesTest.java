package org.ternsweep.driver.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ternsweep.core.CellSpec;
import org.ternsweep.core.Sha256;

/**
 * Imported networks in a sweep file (sweeps/README.md, "models"): the cell identity holds the file's content and
 * normalisation, never its path; the file is read, hashed and imported before anything runs, and every problem
 * names the file, the line and the key.
 */
class ImportedModelEntriesTest {
    private static final Path FIXTURE = Path.of("..", "nets", "mobilenet.onnx");

    @TempDir
    Path dir;

    private static String sweep(String modelEntry) {
        return """
                name: imported
                models:
                  - cnn-small
                  - %s
                seeds: [0, 1]
                operators: [native, mquant]
                granularities: [per-channel]
                methods: [data-free]
                """.formatted(modelEntry);
    }

    private Sweep parse(Path sweepFile, String text) throws IOException {
        Files.writeString(sweepFile, text);
        return SweepParser.parse(sweepFile, List.of());
    }

    private Path copy(String name) throws IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.copy(FIXTURE, p);
        return p;
    }

    private SweepException bad(String entry, String key, String... fragments) throws IOException {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, sweep(entry));
        SweepException e = assertThrows(SweepException.class, () -> SweepParser.parse(file, List.of()));
        String m = e.getMessage();
        assertTrue(m.contains(file.toString()) && m.contains("line 4"), m);
        assertEquals(key, e.key(), m);
        for (String f : fragments) {
            assertTrue(m.contains(f), "expected '" + f + "' in: " + m);
        }
        return e;
    }

    @Test
    void aRelativePathIsReadFromTheSweepFilesFolderAndTheCellsNameTheContentNotThePath() throws IOException {
        copy("nets/m.onnx");
        Sweep s = parse(dir.resolve("s.yaml"), sweep("{name: mine, onnx: nets/m.onnx}"));
        ModelEntry m = s.models().get(1);
        assertEquals("mine", m.name());
        assertEquals(dir.resolve("nets/m.onnx").toString(), m.onnx());
        assertEquals(Sha256.of(FIXTURE), m.sha256());
        assertEquals(Map.of(m.sha256(), m.onnx()), s.inputFiles());

        List<CellSpec> cells = Grid.expand(s);
        assertEquals(8, cells.size());
        CellSpec imported = cells.get(4);
        assertEquals("mine", imported.model());
        assertEquals(Map.of("format", "onnx", "sha256", m.sha256()), imported.modelSource());
        assertEquals(Map.of(), imported.recipe(), "an imported network is not trained");
        assertTrue(!imported.canonicalJson().contains("m.onnx"), imported.canonicalJson());
        assertEquals(Map.of(), cells.get(0).modelSource());

        // the same content elsewhere: the same cells; the resolved sweep.yaml pins the content
        copy("elsewhere/other-name.onnx");
        Sweep moved = parse(dir.resolve("elsewhere/s.yaml"), sweep("{name: mine, onnx: other-name.onnx, sha256: "
                + m.sha256() + "}"));
        assertEquals(cells.stream().map(CellSpec::cellId).toList(),
                Grid.expand(moved).stream().map(CellSpec::cellId).toList());
        assertEquals(Map.of("name", "mine", "onnx", dir.resolve("elsewhere/other-name.onnx").toString(),
                "sha256", m.sha256()), moved.models().get(1).toResolved());
    }

    @Test
    void anEditedFileOrAnotherNormalisationMakesNewCells() throws IOException {
        Path f = copy("m.onnx");
        List<String> before = Grid.expand(parse(dir.resolve("s.yaml"), sweep("{name: mine, onnx: m.onnx}")))
                .stream().map(CellSpec::cellId).toList();
        List<String> normalised = Grid.expand(parse(dir.resolve("s.yaml"),
                sweep("{name: mine, onnx: m.onnx, mean: [0.286], std: [0.353]}"))).stream().map(CellSpec::cellId)
                .toList();
        assertEquals(before.subList(0, 4), normalised.subList(0, 4), "the zoo model's cells do not move");
        assertNotEquals(before.get(4), normalised.get(4));
        // a producer string edited in place: still a valid model, other content
        byte[] bytes = Files.readAllBytes(f);
        String text = new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1);
        int at = text.indexOf("pytorch");
        bytes[at] = 'P';
        Files.write(f, bytes);
        List<String> edited = Grid.expand(parse(dir.resolve("s.yaml"), sweep("{name: mine, onnx: m.onnx}")))
                .stream().map(CellSpec::cellId).toList();
        assertNotEquals(before.get(4), edited.get(4));
        assertEquals(before.get(0), edited.get(0));
    }

    @Test
    void modelSeedsDoNotMultiplyAnImportedNetworkAndTheSweepSaysSo() throws IOException {
        copy("m.onnx");
        Sweep s = parse(dir.resolve("s.yaml"), sweep("{name: mine, onnx: m.onnx}") + "model_seeds: [0, 1, 2]\n");
        List<CellSpec> cells = Grid.expand(s);
        assertEquals(3 * 4 + 4, cells.size());
        assertEquals(cells.size(), Grid.product(s));
        assertTrue(cells.stream().filter(CellSpec::importedModel).allMatch(c -> c.modelSeed() == 0));
        assertEquals(1, s.warnings().size());
        assertTrue(s.warnings().get(0).contains("model mine") && s.warnings().get(0).contains("model_seed"),
                s.warnings().get(0));
        assertEquals(List.of(), parse(dir.resolve("s.yaml"), sweep("{name: mine, onnx: m.onnx}")).warnings());
    }

    @Test
    void optionsThatNeedABatchNormAreNotedForEveryNetworkWithoutOne() throws IOException {
        // mobilenet.onnx was exported with its BatchNorms folded, vgg.onnx kept them; cnn-small has none, resnet-8 has
        copy("m.onnx");
        Files.copy(FIXTURE.resolveSibling("vgg.onnx"), dir.resolve("v.onnx"));
        Sweep s = parse(dir.resolve("s.yaml"), """
                name: notes
                models: [cnn-small, resnet-8, {name: mine, onnx: m.onnx}, {name: vgg, onnx: v.onnx}]
                seeds: [0]
                operators: [tquant]
                granularities: [per-channel]
                methods:
                  - data-free: {bias_correction: true, bn_reestimation: true}
                  - data-free: {bias_correction: empirical}
                  - adaround: {bn_reestimation: true}
                """);
        List<String> notes = s.warnings();
        assertEquals(4, notes.size(), notes.toString());
        for (String model : List.of("cnn-small", "mine")) {
            List<String> mine = notes.stream().filter(n -> n.startsWith("model " + model + " ")).toList();
            assertEquals(2, mine.size(), notes.toString());
            assertTrue(mine.get(0).contains("methods[0] (data-free) bn_reestimation re-estimates no layer and"
                    + " bias_correction: true (analytic) corrects no layer"), mine.get(0));
            assertTrue(mine.get(1).contains("methods[2] (adaround) bn_reestimation re-estimates no layer of it"),
                    mine.get(1));
        }
        assertTrue(notes.stream().noneMatch(n -> n.contains("resnet-8") || n.contains("vgg")
                || n.contains("methods[1]")), notes.toString());
    }

    @Test
    void badEntriesNameTheKeyAndWhatIsAllowed() throws IOException {
        copy("m.onnx");
        bad("{name: mine, onnx: m.onnx, epochs: 3}", "models[1].epochs", "unknown key", "name, onnx, sha256");
        bad("{onnx: m.onnx}", "models[1]", "needs name");
        bad("{name: mine}", "models[1]", "needs onnx");
        bad("{name: resnet-8, onnx: m.onnx}", "models[1].name", "zoo model's name");
        bad("{name: 'a b', onnx: m.onnx}", "models[1].name", "not a valid model name");
        bad("{name: cnn-small2, onnx: missing.onnx}", "models[1].onnx", "cannot read "
                + dir.resolve("missing.onnx"), "relative to the sweep file's folder");
        bad("{name: mine, onnx: m.onnx, mean: [0.5]}", "models[1].mean", "mean and std come together");
        bad("{name: mine, onnx: m.onnx, mean: [0.5, 0.5], std: [1]}", "models[1].mean", "2 values but std has 1");
        bad("{name: mine, onnx: m.onnx, mean: [0.5], std: [0]}", "models[1].std[0]", "positive numbers");
        bad("{name: mine, onnx: m.onnx, mean: [0.5, 0.5, 0.5], std: [1, 1, 1]}", "models[1].onnx",
                "normalisation has 3");
        bad("{name: mine, onnx: m.onnx, sha256: " + "f".repeat(64) + "}", "models[1].sha256", "not the pinned");
        bad("cnn-large", "models[1]", "unknown value 'cnn-large'", "cnn-small, resnet-8, resnet-20, or an imported network");
    }

    @Test
    void twoEntriesWithOneNameAreRefused() throws IOException {
        copy("m.onnx");
        Path file = dir.resolve("twice.yaml");
        Files.writeString(file, sweep("{name: mine, onnx: m.onnx}").replace("  - cnn-small\n",
                "  - {name: mine, onnx: m.onnx}\n"));
        SweepException e = assertThrows(SweepException.class, () -> SweepParser.parse(file, List.of()));
        assertEquals("models[1]", e.key(), e.getMessage());
        assertTrue(e.getMessage().contains("listed twice"), e.getMessage());
    }

    @Test
    void aFileThatIsNotOnnxOrUsesAnUnsupportedOpStopsTheSweepNamingTheFile() throws IOException {
        Files.writeString(dir.resolve("text.onnx"), "not a model");
        SweepException e = bad("{name: mine, onnx: text.onnx}", "models[1].onnx", dir.resolve("text.onnx")
                + " is not an ONNX model");
        assertTrue(e.getMessage().contains("supported ops"), e.getMessage());
    }
}
