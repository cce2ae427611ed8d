package org.ternsweep.quant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.ternsweep.catalog.Catalog;
import org.ternsweep.catalog.OptionException;

class OperatorsTest {

    @Test
    void everyCatalogOperatorCanBeBuiltFromItsResolvedDefaults() {
        for (var e : Catalog.operators().entrySet()) {
            TernaryOperator op = Operators.create(e.getKey(), e.getValue().resolve(Map.of()));
            assertEquals(e.getKey(), op.name());
        }
    }

    @Test
    void mquantOptionsReachTheOperator() {
        MQuantOperator def = assertInstanceOf(MQuantOperator.class, Operators.create("mquant", Map.of()));
        assertEquals(MQuantOperator.Level.MEAN, def.level());
        assertTrue(def.symmetric());
        MQuantOperator median = assertInstanceOf(MQuantOperator.class,
                Operators.create("mquant", Map.of("level", "median", "symmetric", false)));
        assertEquals(MQuantOperator.Level.MEDIAN, median.level());
        assertFalse(median.symmetric());
    }

    @Test
    void unknownNamesAndOptionsAreRejectedWithWhatIsAllowed() {
        IllegalArgumentException name = assertThrows(IllegalArgumentException.class,
                () -> Operators.create("binary", Map.of()));
        assertTrue(name.getMessage().contains("binary") && name.getMessage().contains("native, tquant, mquant"));
        OptionException level = assertThrows(OptionException.class,
                () -> Operators.create("mquant", Map.of("level", "max")));
        assertTrue(level.getMessage().contains("max") && level.getMessage().contains("mean"), level.getMessage());
        assertThrows(OptionException.class, () -> Operators.create("tquant", Map.of("level", "mean")));
    }

    @Test
    void levelNamesParseAndRejectUnknownValues() {
        for (MQuantOperator.Level l : MQuantOperator.Level.values()) {
            assertEquals(l, MQuantOperator.Level.fromName(l.label()));
        }
        assertThrows(IllegalArgumentException.class, () -> MQuantOperator.Level.fromName("MEAN"));
    }
}
