package org.ternsweep.results.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelRecordsTest {

    static GroupKey key(String method, long modelSeed) {
        return new GroupKey("cnn-small", "fashion-mnist", modelSeed, method, "{}", "per-tensor", "keep");
    }

    @Test
    void tablesShowModelMethodGranularityAndWhateverVaries() {
        assertEquals(List.of(GroupKey.Axis.MODEL, GroupKey.Axis.METHOD, GroupKey.Axis.GRANULARITY),
                GroupKey.shownAxes(List.of(key("ptq", 0), key("qat", 0))));
        List<GroupKey.Axis> axes = GroupKey.shownAxes(List.of(key("ptq", 0), key("ptq", 1)));
        assertEquals(List.of(GroupKey.Axis.MODEL, GroupKey.Axis.MODEL_SEED, GroupKey.Axis.METHOD,
                GroupKey.Axis.GRANULARITY), axes);
        assertEquals("cnn-small / model_seed=1 / ptq / per-tensor", key("ptq", 1).label(axes));
    }

    @Test
    void operatorOptionsShowOnlyWhereAnOperatorHasSeveralSettings() {
        OperatorKey mean = new OperatorKey("mquant", "{\"level\":\"mean\"}");
        OperatorKey median = new OperatorKey("mquant", "{\"level\":\"median\"}");
        OperatorKey tquant = new OperatorKey("tquant", "{}");
        List<OperatorKey> all = List.of(mean, median, tquant);
        assertEquals("mquant {\"level\":\"mean\"}", mean.label(all));
        assertEquals("tquant", tquant.label(all));
        assertEquals(tquant, new OperatorKey("tquant", ""), "{} and empty options are the same setting");
        assertEquals("{}", new OperatorKey("tquant", null).options(), "stored as {}, as the cell rows store it");
    }

    @Test
    void okCellMustCarryAnAccuracyFraction() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new CellRow("id1",
                CellRow.Status.OK, "cnn-small", "fashion-mnist", 0, 0, "native", "", "per-tensor", "ptq", "", "keep",
                42.9, 1.0, 0.9, 1.0, 1.0, List.of(), null, null));
        assertTrue(e.getMessage().contains("id1") && e.getMessage().contains("42.9"), e.getMessage());
    }

    @Test
    void flatColumnsMatchTheirRows() {
        assertEquals(24, FlatRows.summaryColumns().size());
        assertTrue(FlatRows.comparisonColumns().containsAll(List.of("kind", "t_p_value_holm", "seeds_needed",
                "below_seed_noise", "wilcoxon_exact")));
        ComparisonRow r = new ComparisonRow(ComparisonRow.Kind.BETWEEN_OPERATORS, key("ptq", 0),
                new OperatorKey("mquant", ""), new OperatorKey("tquant", ""), 1, 0, 0.01, Double.NaN, Double.NaN,
                Double.NaN, Double.NaN, 1.0, true, Double.NaN, 1.0, Double.NaN, null, false, "one pair");
        Map<String, Object> flat = FlatRows.comparison(r);
        assertEquals("between_operators", flat.get("kind"));
        assertNull(flat.get("seeds_needed"));
        assertThrows(IllegalArgumentException.class, () -> new ComparisonRow(ComparisonRow.Kind.VS_REFERENCE,
                key("ptq", 0), new OperatorKey("a", ""), new OperatorKey("a", "{}"), 1, 0, 0, 0, 0, 0, 0, 0, true,
                0, 0, 0, null, false, ""), "an operator against itself");
    }
}
