package org.ternsweep.results.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelRecordsTest {

    static GroupKey key(String method, String granularity) {
        return new GroupKey("cnn-small", "fashion-mnist", method, "{}", granularity, "keep");
    }

    static final ComparisonRow.Effect NO_EFFECT = new ComparisonRow.Effect(Double.NaN, Double.NaN, Double.NaN,
            Double.NaN, Double.NaN, Double.NaN, null);

    @Test
    void tablesShowModelMethodGranularityAndWhateverVaries() {
        assertEquals(List.of(GroupKey.Axis.MODEL, GroupKey.Axis.METHOD, GroupKey.Axis.GRANULARITY),
                GroupKey.shownAxes(List.of(key("ptq", "per-tensor"), key("qat", "per-tensor"))));
        GroupKey other = new GroupKey("cnn-small", "mnist", "ptq", "{}", "per-tensor", "keep");
        List<GroupKey.Axis> axes = GroupKey.shownAxes(List.of(key("ptq", "per-tensor"), other));
        assertEquals(List.of(GroupKey.Axis.MODEL, GroupKey.Axis.DATASET, GroupKey.Axis.METHOD,
                GroupKey.Axis.GRANULARITY), axes);
        assertEquals("cnn-small / mnist / ptq / per-tensor", other.label(axes));
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
        assertEquals(32, FlatRows.summaryColumns().size());
        assertTrue(FlatRows.summaryColumns().containsAll(List.of("accuracy_bca_low", "accuracy_bca_high",
                "n_model_seeds", "var_between_model_seed", "var_within_model_seed", "var_between_fraction",
                "n_collapsed", "seeds_run", "seeds_status")));
        assertTrue(FlatRows.comparisonColumns().containsAll(List.of("bca_ci_low", "bca_ci_high", "cohens_dz",
                "p_improvement", "aso_epsilon", "aso_epsilon_min", "ci95_half_width_met")));
        assertTrue(!FlatRows.summaryColumns().contains("model_seed"), "a group pools its model seeds");
        assertTrue(FlatRows.comparisonColumns().containsAll(List.of("kind", "t_p_value_holm", "seeds_needed",
                "below_seed_noise", "wilcoxon_exact")));
        ComparisonRow r = new ComparisonRow(ComparisonRow.Kind.BETWEEN_OPERATORS, key("ptq", "per-tensor"),
                new OperatorKey("mquant", ""), new OperatorKey("tquant", ""), 1, 0, 0.01, Double.NaN, Double.NaN,
                Double.NaN, Double.NaN, 1.0, true, Double.NaN, 1.0, Double.NaN, null, false, "one pair", NO_EFFECT);
        Map<String, Object> flat = FlatRows.comparison(r);
        assertEquals("between_operators", flat.get("kind"));
        assertNull(flat.get("seeds_needed"));
        assertNull(flat.get("ci95_half_width_met"), "a fixed seed axis has no adaptive target");
        assertThrows(IllegalArgumentException.class, () -> new ComparisonRow(ComparisonRow.Kind.VS_REFERENCE,
                key("ptq", "per-tensor"), new OperatorKey("a", ""), new OperatorKey("a", "{}"), 1, 0, 0, 0, 0, 0, 0, 0, true,
                0, 0, 0, null, false, "", NO_EFFECT), "an operator against itself");
    }
}
