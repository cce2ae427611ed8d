package org.ternsweep.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CellResultTest {
    private static final CellSpec SPEC = new CellSpec("fashion-mnist", "cnn-small", Map.of("epochs", 2), 0, "native",
            Map.of(), "per-tensor", "int8", "data-free", Map.of("cle", false), 1, Map.of("batch", 500));

    private static CellResult result(Map<String, String> provenance) {
        return new CellResult(SPEC.cellId(), SPEC, CellResult.Status.OK, null, null, 0.8, 0.5, 0.9, 1, 1, List.of(),
                List.of(), provenance);
    }

    @Test
    void provenanceFromTwoWritersIsMergedWhenTheKeysDiffer() {
        CellResult r = result(Map.of("cell_started_at", "2025-01-01T00:00:01Z"))
                .withProvenance(Map.of("task_started_at", "2025-01-01T00:00:00Z"));
        assertEquals(Map.of("cell_started_at", "2025-01-01T00:00:01Z", "task_started_at", "2025-01-01T00:00:00Z"),
                r.provenance());
    }

    @Test
    void aProvenanceKeyWrittenTwiceIsRefusedNotOverwritten() {
        CellResult r = result(Map.of("started_at", "2025-01-01T00:00:01Z", "host", "a"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> r.withProvenance(Map.of("started_at", "2025-01-01T00:00:00Z", "jvm", "x")));
        assertTrue(e.getMessage().contains("provenance keys [started_at] of cell " + SPEC.cellId()), e.getMessage());
        assertTrue(e.getMessage().contains("started_at=2025-01-01T00:00:01Z"), e.getMessage());
    }

    @Test
    void aDivergedTrainingFailsTheCellAndKeepsItsCurve() {
        List<EpochStat> curve = List.of(new EpochStat(1, 2.1, 0.4), new EpochStat(2, 7.6e8, 0.1));
        CellResult r = CellResult.failed(SPEC, new TrainingDivergedException("QAT of x diverged", curve,
                new NumericalFailureException("cause")), Map.of());
        assertEquals(CellResult.Status.FAILED, r.status());
        assertEquals(curve, r.trainingCurve());
        assertEquals(TrainingDivergedException.class.getName(), r.errorClass());
        assertEquals(List.of(), CellResult.failed(SPEC, new NumericalFailureException("x"), Map.of()).trainingCurve());
    }
}
