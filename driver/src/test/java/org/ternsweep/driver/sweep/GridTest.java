package org.ternsweep.driver.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.ternsweep.core.CellSpec;

class GridTest {

    private static List<CellSpec> cells(String text) {
        return Grid.expand(SweepParser.parse("g.yaml", text, List.of()));
    }

    @Test
    void orderIsModelsMethodsOperatorsGranularitiesSeeds() {
        List<CellSpec> cells = cells("""
                name: g
                models: [cnn-small, resnet-8]
                methods: [data-free, qat]
                operators: [native, tquant]
                granularities: [per-tensor, per-channel]
                seeds: [0, 1]
                """);
        assertEquals(32, cells.size());
        CellSpec first = cells.get(0);
        assertEquals(List.of("cnn-small", "data-free", "native", "per-tensor", 0L),
                List.of(first.model(), first.method(), first.operator(), first.granularity(), first.seed()));
        assertEquals(1L, cells.get(1).seed());
        assertEquals("per-channel", cells.get(2).granularity());
        assertEquals("tquant", cells.get(4).operator());
        assertEquals("qat", cells.get(8).method());
        assertEquals("resnet-8", cells.get(16).model());
        CellSpec last = cells.get(31);
        assertEquals(List.of("resnet-8", "qat", "tquant", "per-channel", 1L),
                List.of(last.model(), last.method(), last.operator(), last.granularity(), last.seed()));
    }

    @Test
    void reorderingKeysAndSpellingDefaultsKeepsIds() {
        List<CellSpec> a = cells("""
                name: g
                models: [cnn-small]
                seeds: [0, 1]
                operators: [native, {mquant: {level: mean}}]
                granularities: [per-tensor]
                methods: [{data-free: {bias_correction: true, cle: false}}]
                recipe: {epochs: 2, batch: 64}
                """);
        List<CellSpec> b = cells("""
                recipe: {batch: 64, epochs: 2.0}
                methods: [{data-free: {cle: false, bias_correction: true}}]
                granularities: [per-tensor]
                operators: [native, mquant]
                seeds: [0, 1]
                models: [cnn-small]
                name: other-name
                """);
        assertEquals(ids(a), ids(b));
        assertEquals(64, a.get(0).cellId().length());
    }

    @Test
    void addingASeedAddsExactlyTheNewCells() {
        String base = """
                name: g
                models: [cnn-small]
                operators: [native, tquant, mquant]
                granularities: [per-tensor, per-channel]
                methods: [data-free]
                seeds: SEEDS
                """;
        List<CellSpec> before = cells(base.replace("SEEDS", "[0, 1, 2]"));
        List<CellSpec> after = cells(base.replace("SEEDS", "[0, 1, 2, 3]"));
        Set<String> added = new HashSet<>(ids(after));
        added.removeAll(ids(before));
        assertTrue(ids(after).containsAll(ids(before)));
        assertEquals(6, added.size());
        for (CellSpec c : after) {
            assertEquals(added.contains(c.cellId()), c.seed() == 3L);
        }
    }

    @Test
    void duplicateCellsAreKeptOnce() {
        List<CellSpec> cells = cells("""
                name: g
                models: [cnn-small]
                operators: [mquant, {mquant: {level: mean}}, {mquant: {level: median}}]
                granularities: [per-tensor, per-tensor]
                methods: [data-free]
                seeds: [0, 0, 1]
                """);
        assertEquals(4, cells.size());
        assertEquals(new HashSet<>(ids(cells)).size(), cells.size());
    }

    @Test
    void differentSettingsGiveDifferentIds() {
        String base = "name: g\nmodels: [cnn-small]\noperators: [native]\ngranularities: [per-tensor]\n"
                + "methods: [data-free]\nseeds: [0]\n";
        assertNotEquals(ids(cells(base)), ids(cells(base + "first_last: fp\n")));
        assertNotEquals(ids(cells(base)), ids(cells(base + "model_seed: 1\n")));
    }

    @Test
    void modelSeedsRunEveryCellOncePerModelSeedAndKeepTheOneSeedIds() {
        String base = "name: g\nmodels: [cnn-small]\noperators: [native, tquant]\ngranularities: [per-tensor]\n"
                + "methods: [data-free]\nseeds: [0, 1]\n";
        List<CellSpec> pooled = cells(base + "model_seeds: [0, 1, 2]\n");
        assertEquals(12, pooled.size());
        assertEquals(List.of(0L, 0L, 1L, 1L, 2L, 2L), pooled.subList(0, 6).stream().map(CellSpec::modelSeed).toList(),
                "model seeds just outside the seeds, so one configuration's cells stay adjacent");
        assertEquals(ids(cells(base + "model_seed: 1\n")),
                ids(pooled.stream().filter(c -> c.modelSeed() == 1).toList()),
                "a cell of model seed 1 is the same cell whether one or three model seeds are swept");
        assertEquals(ids(cells(base)), ids(cells(base + "model_seeds: [0]\n")));
        assertEquals(ids(cells(base + "model_seeds: [1, 2]\n")), ids(cells(base + "model_seeds: {from: 1, to: 2}\n")));
    }

    /**
     * Every cell's id is the SHA-256 of its canonical JSON (keys, value types, resolved defaults and presets), the key
     * for resume and joins across runs: these digests of the shipped sweeps' and of a sweep spelling out every
     * component, option type and preset were computed before the options became typed records, and must not move.
     */
    @Test
    void canonicalJsonOfEveryCellIsPinned() throws IOException, NoSuchAlgorithmException {
        List<CellSpec> all = cells("""
                name: pin
                dataset: mnist
                first_last: fp
                model_seed: 3
                recipe: {epochs: 3, train_subset: 1000}
                evaluation: {test_subset: 100, batch: 250}
                calibration: 512
                models: [cnn-small, resnet-8]
                seeds: [0, 7]
                operators: [native, tquant, mquant, {mquant: {level: median, symmetric: false}},
                            {mquant: {level: double}}]
                granularities: [per-tensor, per-channel]
                methods:
                  - data-free
                  - data-free: {bias_correction: true, cle: true}
                  - adaround
                  - adaround: {preset: paper}
                  - adaround: {preset: paper, iterations: 100, lr: 0.5, calibration: 64}
                  - brecq: {loss: fisher, reg: 0.1}
                  - brecq: {preset: cpu, batch: 16}
                  - qat
                  - qat: {epochs: 0.5, lr: 0.001, batch: 64, optimizer: sgd, ste: clipped}
                """);
        assertEquals(360, all.size());
        assertEquals("372d6a6f1c176a6fb90c402d139b32eb1f05998f68920995200d24f88a9138d3", digest(all));
        assertEquals("40539a000c063efb328df0393ff6e84e1e57373159b486a9dae2e05669057c1e", digest(shipped("quick.yaml")));
        assertEquals("8a210d9bc700dd1de340c273900ee50a33afdd552e6fa7cdf656f09412bb4667", digest(shipped("paper.yaml")));
    }

    private static List<CellSpec> shipped(String file) {
        return Grid.expand(SweepParser.parse(Path.of("..", "sweeps", file), List.of()));
    }

    private static String digest(List<CellSpec> cells) throws NoSuchAlgorithmException {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        for (CellSpec c : cells) {
            assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(c.canonicalJson().getBytes(StandardCharsets.UTF_8))), c.cellId());
            sha.update((c.canonicalJson() + "\n").getBytes(StandardCharsets.UTF_8));
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private static List<String> ids(List<CellSpec> cells) {
        return cells.stream().map(CellSpec::cellId).collect(Collectors.toList());
    }
}
