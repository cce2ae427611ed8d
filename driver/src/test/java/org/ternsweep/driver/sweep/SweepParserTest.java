package org.ternsweep.driver.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SweepParserTest {

    static final String GOOD = """
            name: t1
            models: [cnn-small]
            seeds: [0, 1]
            operators:
              - native
              - mquant: {level: median}
            granularities: [per-tensor]
            methods:
              - data-free
              - adaround: {iterations: 500}
            """;

    /** Parses {@code text}, expects a SweepException and checks file, line, key and allowed text. */
    private static SweepException bad(String text, int line, String key, String allowed) {
        SweepException e = assertThrows(SweepException.class, () -> SweepParser.parse("bad.yaml", text, List.of()));
        String m = e.getMessage();
        assertTrue(m.contains("bad.yaml"), m);
        assertTrue(m.contains("line " + line), m);
        assertEquals(line, e.line(), m);
        assertTrue(m.contains("key '" + key + "'"), m);
        assertEquals(key, e.key(), m);
        assertTrue(m.contains(allowed), m);
        return e;
    }

    @Test
    void goodSweepResolvesDefaults() {
        Sweep s = SweepParser.parse("good.yaml", GOOD, List.of());
        assertEquals("t1", s.name());
        assertEquals("fashion-mnist", s.dataset());
        assertEquals("int8", s.firstLast());
        assertEquals("native", s.reference());
        assertEquals(List.of(0L), s.modelSeeds());
        assertNull(s.adaptive());
        assertEquals(10.0, s.recipe().get("epochs"));
        assertEquals(500L, s.evaluation().get("batch"));
        assertEquals(List.of(0L, 1L), s.seeds());
        assertEquals("median", s.operators().get(1).options().get("level"));
        assertEquals(Map.of("bias_correction", false, "cle", false), s.methods().get(0).options());
        assertEquals(500L, s.methods().get(1).options().get("iterations"));
        assertEquals(32L, s.methods().get(1).options().get("batch"));
    }

    @Test
    void seedRangeAndCalibrationApply() {
        Sweep s = SweepParser.parse("r.yaml", GOOD.replace("seeds: [0, 1]", "seeds: {from: 3, to: 6}")
                + "calibration: 256\n", List.of());
        assertEquals(List.of(3L, 4L, 5L, 6L), s.seeds());
        assertEquals(256L, s.methods().get(1).options().get("calibration"));
        assertEquals(Long.valueOf(256), s.calibration());
        Sweep own = SweepParser.parse("r.yaml", GOOD.replace("{iterations: 500}", "{calibration: 64}")
                + "calibration: 256\n", List.of());
        assertEquals(64L, own.methods().get(1).options().get("calibration"), "the method entry wins");
    }

    @Test
    void modelSeedsAreAListOrARangeAndNotBesideModelSeed() {
        assertEquals(List.of(0L, 1L, 2L), SweepParser.parse("m.yaml", GOOD + "model_seeds: [0, 1, 2]\n", List.of())
                .modelSeeds());
        assertEquals(List.of(4L, 5L), SweepParser.parse("m.yaml", GOOD + "model_seeds: {from: 4, to: 5}\n", List.of())
                .modelSeeds());
        assertEquals(List.of(7L), SweepParser.parse("m.yaml", GOOD + "model_seed: 7\n", List.of()).modelSeeds());
        bad(GOOD + "model_seed: 0\nmodel_seeds: [0, 1]\n", 12, "model_seeds", "one of them: model_seed: 0");
        bad(GOOD + "model_seeds: [0, -1]\n", 11, "model_seeds[1]", "an integer in [0, ∞]");
        bad(GOOD + "model_seeds: []\n", 11, "model_seeds", "a non-empty list of integers");
    }

    @Test
    void adaptiveSeedsParseAndSpanZeroToMax() {
        Sweep s = SweepParser.parse("a.yaml", GOOD.replace("seeds: [0, 1]",
                "seeds: {adaptive: {initial: 3, max: 6, step: 2, ci95_half_width: 0.005}}"), List.of());
        assertEquals(new org.ternsweep.results.stats.AdaptiveSeeds.Policy(3, 6, 2, 0.005), s.adaptive());
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L), s.seeds(), "every seed a group may run");
        Map<String, Object> resolved = s.toResolvedMap();
        assertEquals(Map.of("adaptive", Map.of("initial", 3, "max", 6, "step", 2, "ci95_half_width", 0.005)),
                resolved.get("seeds"));
    }

    @Test
    void badAdaptiveSeedsNameTheKeyAndWhatIsAllowed() {
        String a = "seeds: {adaptive: {initial: 3, max: 6, step: 2, ci95_half_width: 0.005}}";
        bad(GOOD.replace("seeds: [0, 1]", a.replace("initial: 3", "initial: 1")), 3, "seeds.adaptive.initial",
                "an integer in [2, 1000000]");
        bad(GOOD.replace("seeds: [0, 1]", a.replace("max: 6", "max: 2")), 3, "seeds.adaptive.max",
                "an integer in [3, 1000000]");
        bad(GOOD.replace("seeds: [0, 1]", a.replace("step: 2", "step: 0")), 3, "seeds.adaptive.step",
                "an integer in [1, 1000000]");
        bad(GOOD.replace("seeds: [0, 1]", a.replace("0.005", "0")), 3, "seeds.adaptive.ci95_half_width",
                "a number in (0, 1)");
        bad(GOOD.replace("seeds: [0, 1]", a.replace("0.005", "wide")), 3, "seeds.adaptive.ci95_half_width",
                "a number in (0, 1)");
        bad(GOOD.replace("seeds: [0, 1]", a.replace("step: 2", "steps: 2")), 3, "seeds.adaptive.steps",
                "initial, max, step, ci95_half_width");
        bad(GOOD.replace("seeds: [0, 1]", "seeds: {adaptive: {initial: 3, max: 6, step: 2}}"), 3,
                "seeds.adaptive.ci95_half_width", "{initial: 3, max: 30");
        bad(GOOD.replace("seeds: [0, 1]", "seeds: {adaptive: {initial: 3}, from: 0}"), 3, "seeds",
                "seeds: {adaptive: {initial: 3");
    }

    @Test
    void setOverridesAxesAndNestedKeys() {
        Sweep s = SweepParser.parse("good.yaml", GOOD, List.of("seeds=[0,1,2,3]", "first_last=fp", "recipe.epochs=2"));
        assertEquals(List.of(0L, 1L, 2L, 3L), s.seeds());
        assertEquals("fp", s.firstLast());
        assertEquals(2.0, s.recipe().get("epochs"));
    }

    @Test
    void badSetOverrideNamesTheOverride() {
        SweepException e = assertThrows(SweepException.class,
                () -> SweepParser.parse("good.yaml", GOOD, List.of("granularities=[per-row]")));
        assertTrue(e.getMessage().contains("--set granularities=[per-row]"), e.getMessage());
        assertEquals(-1, e.line());
        assertTrue(e.getMessage().contains("per-tensor, per-channel"), e.getMessage());
    }

    @Test
    void unknownKey() {
        bad(GOOD + "sedes: [1]\n", 11, "sedes", "the keys name, dataset");
    }

    @Test
    void wrongType() {
        bad(GOOD.replace("seeds: [0, 1]", "seeds: many"), 3, "seeds", "a non-empty list of integers >= 0");
    }

    @Test
    void wrongTypeOfScalar() {
        bad(GOOD + "model_seed: abc\n", 11, "model_seed", "an integer in [0, ∞]");
    }

    @Test
    void emptyAxis() {
        bad(GOOD.replace("granularities: [per-tensor]", "granularities: []"), 7, "granularities",
                "a non-empty list of granularity names");
    }

    @Test
    void missingAxis() {
        bad(GOOD.replace("models: [cnn-small]\n", ""), 1, "models", "a non-empty list of zoo model names");
    }

    @Test
    void unknownOperator() {
        bad(GOOD.replace("  - native", "  - nativ"), 5, "operators[0]", "native, tquant, mquant");
    }

    @Test
    void unknownMethod() {
        bad(GOOD.replace("  - data-free", "  - datafree"), 9, "methods[0]", "data-free, adaround, brecq, qat");
    }

    @Test
    void unknownModel() {
        bad(GOOD.replace("[cnn-small]", "[cnn-big]"), 2, "models[0]", "cnn-small, resnet-8");
    }

    @Test
    void unknownDataset() {
        bad(GOOD + "dataset: cifar\n", 11, "dataset", "fashion-mnist, mnist");
    }

    @Test
    void unknownOption() {
        SweepException e = bad(GOOD.replace("{level: median}", "{levle: median}"), 6, "operators[1].mquant.levle",
                "one of the keys level");
        assertTrue(e.getMessage().contains("unknown option 'levle'"), e.getMessage());
    }

    @Test
    void badOptionValue() {
        bad(GOOD.replace("{iterations: 500}", "{iterations: 0}"), 10, "methods[1].adaround.iterations",
                "an integer in [1, 1000000]");
    }

    @Test
    void badRecipeValue() {
        bad(GOOD + "recipe:\n  epochs: 2\n  batch: -1\n", 13, "recipe.batch", "an integer in [1, 65536]");
    }

    @Test
    void yamlSyntaxError() {
        bad(GOOD + "recipe: {epochs: 2\n", 11, "(syntax)", "valid YAML");
    }

    @Test
    void badName() {
        bad(GOOD.replace("name: t1", "name: my sweep!"), 1, "name", "letters, digits, '.', '_' and '-'");
    }

    @Test
    void missingName() {
        bad(GOOD.replace("name: t1\n", ""), 1, "name", "a name made of [A-Za-z0-9._-]");
    }

    @Test
    void negativeSeed() {
        bad(GOOD.replace("seeds: [0, 1]", "seeds: [0, -1]"), 3, "seeds[1]", "an integer in [0, ∞]");
    }

    @Test
    void badSeedRange() {
        bad(GOOD.replace("seeds: [0, 1]", "seeds: {from: 5, to: 2}"), 3, "seeds.to", "from <= to");
    }

    @Test
    void badFirstLast() {
        bad(GOOD + "first_last: int4\n", 11, "first_last", "int8, fp, ternary");
    }

    @Test
    void unknownReference() {
        bad(GOOD + "reference: mquantt\n", 11, "reference", "native, tquant, mquant");
    }

    @Test
    void badCalibration() {
        bad(GOOD + "calibration: 0\n", 11, "calibration", "an integer in [1, 60000]");
    }

    /** Values each allowed, not allowed together: found when the sweep is read, not later in every cell. */
    @Test
    void aBatchLargerThanTheCalibrationSetIsRefusedAtTheMethodEntry() {
        SweepException e = bad(GOOD.replace("{iterations: 500}", "{iterations: 500, batch: 64, calibration: 32}"), 10,
                "methods[1].adaround", "");
        assertTrue(e.getMessage().contains("batch 64 is larger than calibration 32; lower 'batch' or raise"
                + " 'calibration'"), e.getMessage());
        SweepException sweepWide = assertThrows(SweepException.class, () -> SweepParser.parse("bad.yaml",
                GOOD.replace("{iterations: 500}", "{batch: 64}") + "calibration: 32\n", List.of()));
        assertEquals("methods[1].adaround", sweepWide.key(), sweepWide.getMessage());
    }

    @Test
    void malformedAxisEntry() {
        bad(GOOD.replace("  - native", "  - {native: {}, tquant: {}}"), 5, "operators[0]",
                "a name (native, tquant, mquant, twn, optimal)");
    }

    @Test
    void duplicateKey() {
        bad(GOOD + "name: t2\n", 11, "name", "each key once per mapping");
    }

    @Test
    void keysCarryNoUnexpectedCell() {
        Sweep s = SweepParser.parse("good.yaml", GOOD, List.of());
        assertNull(s.calibration());
    }

    @Test
    void dotAndDotDotAreNotSweepNames() {
        bad(GOOD.replace("name: t1", "name: '..'"), 1, "name", "other than '.' and '..'");
        bad(GOOD.replace("name: t1", "name: ."), 1, "name", "other than '.' and '..'");
        assertEquals("a..b", SweepParser.parse("n.yaml", GOOD.replace("name: t1", "name: a..b"), List.of()).name());
    }

    @Test
    void seedRangeEndingAtLongMaxValueEnds() {
        Sweep s = SweepParser.parse("r.yaml", GOOD.replace("seeds: [0, 1]",
                "seeds: {from: " + (Long.MAX_VALUE - 2) + ", to: " + Long.MAX_VALUE + "}"), List.of());
        assertEquals(List.of(Long.MAX_VALUE - 2, Long.MAX_VALUE - 1, Long.MAX_VALUE), s.seeds());
    }

    @Test
    void gridAboveTheLimitIsRefusedWithItsFactorsBeforeExpanding() {
        SweepException e = bad(GOOD.replace("seeds: [0, 1]", "seeds: {from: 0, to: 99999}"), 3, "seeds",
                "at most " + SweepParser.MAX_CELLS + " cells");
        assertTrue(e.getMessage().contains("1 models × 2 methods × 2 operators × 1 granularities × 1 model_seeds × 100000 seeds"
                + " = 400000 cells"), e.getMessage());
        Sweep atLimit = SweepParser.parse("ok.yaml", GOOD.replace("seeds: [0, 1]", "seeds: {from: 0, to: 24999}"),
                List.of());
        assertEquals(SweepParser.MAX_CELLS, Grid.product(atLimit));
    }

    @Test
    void setWithAnEmptyKeyPathPartIsABadInput() {
        for (String o : List.of("..=1", ".=1", "recipe..epochs=1", "recipe.=1", ".name=x", " =1")) {
            SweepException e = assertThrows(SweepException.class,
                    () -> SweepParser.parse("good.yaml", GOOD, List.of(o)), o);
            assertTrue(e.getMessage().contains("--set " + o), e.getMessage());
            assertTrue(e.getMessage().contains("is not a key path") || e.getMessage().contains("key=value"),
                    e.getMessage());
            assertEquals(-1, e.line());
        }
    }

    @Test
    void anchorsAliasesAndTagsAreRefusedWithTheirLine() {
        SweepException alias = bad("op: &op native\n" + GOOD.replace("name: t1", "name: *op"), 1, "op",
                "without anchors (&), aliases (*) or tags (!)");
        assertTrue(alias.getMessage().contains("the anchor '&op'"), alias.getMessage());
        bad(GOOD.replace("name: t1", "name: *op"), 1, "name", "without anchors");
        SweepException tag = bad(GOOD.replace("name: t1", "name: !!javax.script.ScriptEngineManager [x]"), 1,
                "name", "without anchors");
        assertTrue(tag.getMessage().contains("javax.script.ScriptEngineManager"), tag.getMessage());
        bad(GOOD.replace("granularities: [per-tensor]", "granularities: [!!str per-tensor]"), 7, "granularities[0]",
                "or tags (!)");
        bad(GOOD.replace("recipe", "x").replace("seeds: [0, 1]", "seeds: [0, 1]\n&k recipe: {epochs: 1}"), 4,
                "recipe", "without anchors");
        SweepException set = assertThrows(SweepException.class,
                () -> SweepParser.parse("good.yaml", GOOD, List.of("seeds=&s [0]")));
        assertTrue(set.getMessage().contains("--set seeds=&s [0]"), set.getMessage());
    }

    /** A "billion laughs" document stops at its first anchor instead of expanding. */
    @Test
    void billionLaughsStopsAtTheFirstAnchor() {
        StringBuilder doc = new StringBuilder("a: &a [x, x, x, x, x, x, x, x, x]\n");
        for (char c = 'b'; c <= 'j'; c++) {
            char p = (char) (c - 1);
            doc.append(c).append(": &").append(c).append(" [*").append(p).append(", *").append(p).append(", *")
                    .append(p).append("]\n");
        }
        bad(doc + GOOD, 1, "a", "without anchors");
    }

    @Test
    void engineIsAnExecutionSettingThatNoCellIdDependsOn() {
        Sweep auto = SweepParser.parse("good.yaml", GOOD, List.of());
        assertEquals("auto", auto.engine());
        assertEquals("auto", auto.toResolvedMap().get("engine"), "sweep.yaml records it");
        Sweep cpu = SweepParser.parse("good.yaml", GOOD, List.of("engine=cpu"));
        assertEquals("cpu", cpu.engine());
        Sweep cuda = SweepParser.parse("good.yaml", GOOD + "engine: cuda\n", List.of());
        assertEquals("cuda", cuda.engine());
        List<String> ids = Grid.expand(auto).stream().map(c -> c.cellId()).toList();
        assertEquals(ids, Grid.expand(cpu).stream().map(c -> c.cellId()).toList());
        assertEquals(ids, Grid.expand(cuda).stream().map(c -> c.cellId()).toList());
    }

    @Test
    void unknownEngine() {
        bad(GOOD + "engine: gpu\n", 11, "engine", "auto, cpu, cuda");
    }
}
