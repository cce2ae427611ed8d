package org.ternsweep.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.ternsweep.catalog.Catalog;
import org.ternsweep.catalog.DataFreeOptions;
import org.ternsweep.catalog.MQuantOptions;
import org.ternsweep.catalog.OptionException;
import org.ternsweep.catalog.QatOptions;
import org.ternsweep.catalog.ReconstructionOptions;
import org.ternsweep.core.BadInputException;
import org.ternsweep.methods.AdaroundMethod;
import org.ternsweep.methods.BrecqMethod;
import org.ternsweep.methods.DataFreeMethod;
import org.ternsweep.methods.QatMethod;
import org.ternsweep.methods.QuantizationMethod;
import org.ternsweep.quant.MQuantOperator;
import org.ternsweep.quant.TernaryOperator;

class RegistryTest {

    @Test
    void everyCatalogOperatorAndMethodIsRegisteredInCatalogOrderUnderItsName() {
        assertEquals(List.copyOf(Catalog.operators().keySet()),
                Registry.operators().stream().map(Registry.Entry::name).toList());
        assertEquals(List.copyOf(Catalog.methods().keySet()),
                Registry.methods().stream().map(Registry.Entry::name).toList());
        for (Registry.Entry<?, TernaryOperator> e : Registry.operators()) {
            assertEquals(e.name(), e.create(Map.of()).name());
            assertEquals(e.name(), Registry.operator(e.name(), e.spec().resolve(Map.of())).name());
        }
        for (Registry.Entry<?, QuantizationMethod> e : Registry.methods()) {
            assertEquals(e.name(), e.create(Map.of()).name());
        }
    }

    @Test
    void optionsReachTheOperatorsAndMethodsTyped() {
        MQuantOperator def = assertInstanceOf(MQuantOperator.class, Registry.operator("mquant", Map.of()));
        assertEquals(MQuantOptions.Level.MEAN, def.level());
        assertTrue(def.symmetric());
        MQuantOperator median = assertInstanceOf(MQuantOperator.class,
                Registry.operator("mquant", Map.of("level", "median", "symmetric", false)));
        assertEquals(MQuantOptions.Level.MEDIAN, median.level());
        assertFalse(median.symmetric());

        assertEquals(new DataFreeOptions(DataFreeOptions.BiasCorrection.ANALYTIC, false, false, 1024),
                assertInstanceOf(DataFreeMethod.class, Registry.method("data-free", Map.of("bias_correction", true)))
                        .options());
        assertEquals(new ReconstructionOptions(20000, 32, 1024, 0.01, 1e-3, ReconstructionOptions.Loss.MSE),
                assertInstanceOf(AdaroundMethod.class, Registry.method("adaround", Map.of("preset", "paper")))
                        .options());
        assertEquals(new ReconstructionOptions(60, 32, 128, 0.01, 1e-2, ReconstructionOptions.Loss.FISHER),
                assertInstanceOf(BrecqMethod.class, Registry.method("brecq",
                        Map.of("iterations", 60, "calibration", 128, "loss", "fisher"))).options());
        assertEquals(new QatOptions(0.05, 1e-4, 128, QatOptions.Optimizer.SGD, QatOptions.Ste.CLIPPED),
                assertInstanceOf(QatMethod.class, Registry.method("qat",
                        Map.of("epochs", 0.05, "optimizer", "sgd", "ste", "clipped"))).options());
    }

    @Test
    void unknownNamesAndOptionsAreBadInputNamingWhatIsAllowed() {
        BadInputException name = assertThrows(BadInputException.class, () -> Registry.operator("binary", Map.of()));
        assertEquals("operator 'binary' is not known: use one of native, tquant, mquant, twn, optimal",
                name.getMessage());
        BadInputException method = assertThrows(BadInputException.class, () -> Registry.method("gptq", Map.of()));
        assertEquals("method 'gptq' is not known: use one of data-free, adaround, brecq, qat", method.getMessage());
        OptionException level = assertThrows(OptionException.class,
                () -> Registry.operator("mquant", Map.of("level", "max")));
        assertEquals("option 'level' of 'mquant' has value 'max'; allowed: one of mean, median, double",
                level.getMessage());
        assertThrows(OptionException.class, () -> Registry.operator("tquant", Map.of("level", "mean")));
        assertThrows(OptionException.class, () -> Registry.method("qat", Map.of("optimizer", "rmsprop")));
        BadInputException batch = assertThrows(BadInputException.class,
                () -> Registry.method("adaround", Map.of("batch", 64, "calibration", 32)));
        assertEquals("batch 64 is larger than calibration 32; lower 'batch' or raise 'calibration'",
                batch.getMessage());
    }
}
