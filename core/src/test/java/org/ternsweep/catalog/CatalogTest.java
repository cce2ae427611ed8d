package org.ternsweep.catalog;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.ternsweep.core.BadInputException;

class CatalogTest {

    private static List<ComponentSpec<?>> everyComponent() {
        List<ComponentSpec<?>> all = new ArrayList<>();
        all.addAll(Catalog.operators().values());
        all.addAll(Catalog.methods().values());
        all.addAll(Catalog.models().values());
        all.addAll(Catalog.datasets().values());
        all.add(Catalog.RECIPE);
        all.add(Catalog.EVALUATION);
        return all;
    }

    /** Resolved maps are what cellIds hash: complete, idempotent, and of one Java type per option type. */
    @Test
    void builtInDatasetsHaveTheirImageShapesAndUserDatasetsNone() {
        assertArrayEquals(new int[] {1, 28, 28}, Catalog.imageShape("fashion-mnist"));
        assertArrayEquals(new int[] {1, 28, 28}, Catalog.imageShape("mnist"));
        assertArrayEquals(new int[] {3, 32, 32}, Catalog.imageShape("cifar10"));
        assertNull(Catalog.imageShape("my-data"));
        assertEquals(10, Catalog.classes("cifar10"));
    }

    @Test
    void everyComponentResolvesToCanonicalValuesIdempotentlyAndReadsAsItsRecord() {
        for (ComponentSpec<?> c : everyComponent()) {
            Map<String, Object> resolved = c.resolve(Map.of());
            assertEquals(resolved, c.resolve(resolved), c.name());
            long omitted = c.schema().options().stream().filter(Option::isOmittedAtDefault).count();
            assertEquals(c.optionNames().size() - omitted, resolved.size(), c.name() + " " + resolved);
            for (Option<?> option : c.schema().options()) {
                OptionSpec o = option.spec();
                assertEquals(option.isOmittedAtDefault(), !resolved.containsKey(o.name()), c.name() + "." + o.name());
                if (option.isOmittedAtDefault()) {
                    continue;
                }
                Class<?> type = switch (o.type()) {
                    case INT -> Long.class;
                    case DOUBLE -> Double.class;
                    case BOOL -> Boolean.class;
                    case CHOICE -> String.class;
                    case BOOL_OR_CHOICE -> o.defaultValue().getClass();
                };
                assertInstanceOf(type, resolved.get(o.name()), c.name() + "." + o.name());
                assertEquals(o.defaultValue(), o.coerce(o.defaultValue()), c.name() + "." + o.name());
            }
            assertEquals(c.defaults(), c.read(resolved), c.name());
        }
    }

    /**
     * Options added after cells were stored stay out of the resolved map, which the cellId hashes, at their default,
     * so that every stored cell keeps its id (docs/results-schema.md, "Cell identity").
     */
    @Test
    void optionsAddedLaterAreOmittedAtTheirDefaultAndBiasCorrectionKeepsItsBooleans() {
        assertEquals(new TreeMap<>(Map.of("bias_correction", false, "cle", false)),
                Catalog.DATA_FREE.resolve(Map.of()));
        assertEquals(new TreeMap<>(Map.of("bias_correction", true, "cle", false)),
                Catalog.DATA_FREE.resolve(Map.of("bias_correction", true, "bn_reestimation", false)));
        assertEquals(new TreeMap<>(Map.of("bias_correction", "empirical", "calibration", 256L, "cle", false)),
                Catalog.DATA_FREE.resolve(Map.of("bias_correction", "empirical", "calibration", 256)));
        assertEquals(new TreeMap<>(Map.of("bias_correction", false, "bn_reestimation", true, "cle", false)),
                Catalog.DATA_FREE.resolve(Map.of("bn_reestimation", true)));
        // a calibration size that no correction uses does not make another cell
        assertEquals(Catalog.DATA_FREE.resolve(Map.of()), Catalog.DATA_FREE.resolve(Map.of("calibration", 256)));
        assertEquals(new DataFreeOptions(DataFreeOptions.BiasCorrection.EMPIRICAL, false, false, 1024),
                Catalog.DATA_FREE.read(Map.of("bias_correction", "empirical")));
        assertEquals(DataFreeOptions.BiasCorrection.ANALYTIC,
                Catalog.DATA_FREE.read(Map.of("bias_correction", "true")).biasCorrection());
        OptionException e = assertThrows(OptionException.class,
                () -> Catalog.DATA_FREE.resolve(Map.of("bias_correction", "analytic")));
        assertTrue(e.getMessage().contains("one of false, true, empirical"), e.getMessage());

        assertFalse(Catalog.ADAROUND.resolve(Map.of()).containsKey("bn_reestimation"));
        assertEquals(true, Catalog.BRECQ.resolve(Map.of("bn_reestimation", true)).get("bn_reestimation"));
        assertTrue(Catalog.BRECQ.read(Map.of("bn_reestimation", true)).bnReestimation());
    }

    @Test
    void theTypedDefaultsAreTheDocumentedOnes() {
        assertEquals(new MQuantOptions(MQuantOptions.Level.MEAN, true), Catalog.MQUANT.defaults());
        assertEquals(new DataFreeOptions(DataFreeOptions.BiasCorrection.NONE, false, false, 1024),
                Catalog.DATA_FREE.defaults());
        assertEquals(new ReconstructionOptions(2000, 32, 1024, 0.01, 1e-2, ReconstructionOptions.Loss.MSE),
                Catalog.ADAROUND.defaults());
        assertEquals(Catalog.ADAROUND.defaults(), Catalog.BRECQ.defaults());
        assertEquals(new QatOptions(2, 1e-4, 128, QatOptions.Optimizer.ADAM, QatOptions.Ste.IDENTITY),
                Catalog.QAT.defaults());
        assertEquals(new RecipeOptions(10, 128, 1e-3, 0), Catalog.RECIPE.defaults());
        assertEquals(new EvaluationOptions(500, 0), Catalog.EVALUATION.defaults());
        assertTrue(Catalog.operators().containsKey(Catalog.DEFAULT_REFERENCE));
        assertTrue(Catalog.datasets().containsKey(Catalog.DEFAULT_DATASET));
        assertTrue(Catalog.FIRST_LAST.contains(Catalog.DEFAULT_FIRST_LAST));
    }

    @Test
    void presetsResolveToTheSameValuesAsEverAndExplicitOptionsWinOverThem() {
        Map<String, Object> cpu = new TreeMap<>(Map.of("batch", 32L, "calibration", 1024L, "iterations", 2000L,
                "lr", 0.01, "preset", "cpu", "reg", 0.01));
        assertEquals(cpu, Catalog.ADAROUND.resolve(Map.of()));
        assertEquals(cpu, Catalog.ADAROUND.resolve(Map.of("preset", "cpu")));
        Map<String, Object> paper = new TreeMap<>(Map.of("batch", 32L, "calibration", 1024L, "iterations", 20000L,
                "lr", 0.001, "preset", "paper", "reg", 0.01));
        assertEquals(paper, Catalog.ADAROUND.resolve(Map.of("preset", "paper")));
        Map<String, Object> brecq = new TreeMap<>(paper);
        brecq.put("loss", "mse");
        assertEquals(brecq, Catalog.BRECQ.resolve(Map.of("preset", "paper")));
        assertEquals(0.5, Catalog.ADAROUND.resolve(Map.of("preset", "paper", "lr", 0.5)).get("lr"));
        assertEquals(List.of("cpu", "paper"), List.copyOf(Catalog.ADAROUND.presets().keySet()));
        assertEquals("cpu", Catalog.ADAROUND.defaultPreset());
    }

    @Test
    void badOptionsNameTheComponentTheKeyTheValueAndWhatIsAllowed() {
        OptionException unknown = assertThrows(OptionException.class, () -> Catalog.MQUANT.resolve(Map.of("levle", 1)));
        assertEquals("unknown option 'levle' for 'mquant'; allowed: one of the keys level, symmetric",
                unknown.getMessage());
        OptionException preset = assertThrows(OptionException.class,
                () -> Catalog.BRECQ.resolve(Map.of("preset", "gpu")));
        assertEquals("option 'preset' of 'brecq' has value 'gpu'; allowed: one of cpu, paper", preset.getMessage());
        OptionException range = assertThrows(OptionException.class, () -> Catalog.QAT.read(Map.of("batch", 0)));
        assertEquals("option 'batch' of 'qat' has value '0'; allowed: an integer in [1, 65536]", range.getMessage());
        OptionException type = assertThrows(OptionException.class, () -> Catalog.RECIPE.read(Map.of("epochs", "ten")));
        assertTrue(type.getMessage().contains("a number in [0.001, 1000.0]"), type.getMessage());
        assertInstanceOf(BadInputException.class, type);
        OptionException none = assertThrows(OptionException.class, () -> Catalog.NATIVE.resolve(Map.of("level", 1)));
        assertTrue(none.getMessage().endsWith("allowed: no options"), none.getMessage());
    }

    @Test
    void valuesAllowedOneByOneButNotTogetherAreBadInput() {
        BadInputException e = assertThrows(BadInputException.class,
                () -> Catalog.ADAROUND.read(Map.of("batch", 512, "calibration", 256)));
        assertEquals("batch 512 is larger than calibration 256; lower 'batch' or raise 'calibration'", e.getMessage());
        assertEquals(256, Catalog.ADAROUND.read(Map.of("batch", 256, "calibration", 256)).calibration());
    }

    @Test
    void choicesListTheirConstantsInDeclarationOrderInLowerCase() {
        assertEquals(List.of("mean", "median", "double"), MQuantOptions.LEVEL.spec().allowed());
        assertEquals(List.of("mse", "fisher"), ReconstructionOptions.LOSS.spec().allowed());
        assertEquals(List.of("adam", "sgd"), QatOptions.OPTIMIZER.spec().allowed());
        assertEquals(List.of("identity", "clipped"), QatOptions.STE.spec().allowed());
        assertEquals("clipped", QatOptions.STE.canonical(QatOptions.Ste.CLIPPED));
        assertEquals(2000L, ReconstructionOptions.ITERATIONS.canonical(2000));
    }

    @Test
    void aCatalogEntryWhosePresetIsNotAResolvedValueOfItsOptionsIsRefused() {
        IllegalArgumentException unknownKey = assertThrows(IllegalArgumentException.class, () -> new ComponentSpec<>(
                "x", "x", ReconstructionOptions.ADAROUND, new Presets("a", Map.of("a", Map.of("loss", "mse")))));
        assertTrue(unknownKey.getMessage().contains("preset 'a' of 'x' sets loss = mse"), unknownKey.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ComponentSpec<>("x", "x", ReconstructionOptions.ADAROUND,
                new Presets("a", Map.of("a", Map.of("iterations", 2000)))),
                "an Integer where resolved maps hold Longs");
        assertThrows(IllegalArgumentException.class, () -> new Presets("b", Map.of("a", Map.of())));
    }

    @Test
    void aRecordReadsOnlyTheOptionsItsSchemaDeclares() {
        ComponentSpec<Double> wrong = new ComponentSpec<>("wrong", "reads an option it does not declare",
                OptionSchema.of(v -> v.get(QatOptions.LR), QatOptions.EPOCHS));
        IllegalStateException e = assertThrows(IllegalStateException.class, wrong::defaults);
        assertTrue(e.getMessage().contains("'lr' is not one of this schema's [epochs]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> OptionSchema.of(v -> 0, QatOptions.LR,
                ReconstructionOptions.LR), "two options named lr in one schema");
    }
}
