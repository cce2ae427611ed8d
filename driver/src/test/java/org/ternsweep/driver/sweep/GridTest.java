package org.ternsweep.driver.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
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

    private static List<String> ids(List<CellSpec> cells) {
        return cells.stream().map(CellSpec::cellId).collect(Collectors.toList());
    }
}
