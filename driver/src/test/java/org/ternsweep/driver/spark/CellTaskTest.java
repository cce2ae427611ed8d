package org.ternsweep.driver.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.ternsweep.core.CellResult;
import org.ternsweep.core.CellSpec;
import org.ternsweep.core.RunContext;
import org.ternsweep.driver.sweep.Grid;
import org.ternsweep.driver.sweep.SweepParser;

/** The task's provenance next to the executor's: both kept, or a FAILED row when they would collide. */
class CellTaskTest {
    private static final CellSpec SPEC = Grid.expand(SweepParser.parse("t.yaml", """
            name: t
            models: [cnn-small]
            seeds: [0]
            operators: [native]
            granularities: [per-tensor]
            methods: [data-free]
            """, List.of())).get(0);

    private static final Map<String, String> TASK = Map.of("task_started_at", "2025-01-01T00:00:00Z",
            "task_finished_at", "2025-01-01T00:00:02Z", "host", "h");

    @Test
    void theExecutorsAndTheTasksTimesAreBothKept() {
        CellResult r = new FakeExecutor().run(SPEC, new RunContext(null, "/nonexistent", 1, false))
                .withProvenance(Map.of("cell_started_at", "2025-01-01T00:00:01Z"));
        CellResult merged = CellTask.withTaskProvenance(SPEC, r, TASK);
        assertEquals(CellResult.Status.OK, merged.status());
        assertEquals("2025-01-01T00:00:01Z", merged.provenance().get("cell_started_at"));
        assertEquals("2025-01-01T00:00:00Z", merged.provenance().get("task_started_at"));
        assertEquals("fake", merged.provenance().get("executor_note"));
    }

    @Test
    void anExecutorThatWritesATaskKeyGetsAFailedRowNamingIt() {
        CellResult r = new FakeExecutor().run(SPEC, new RunContext(null, "/nonexistent", 1, false))
                .withProvenance(Map.of("task_started_at", "2025-01-01T00:00:01Z"));
        CellResult merged = CellTask.withTaskProvenance(SPEC, r, TASK);
        assertEquals(CellResult.Status.FAILED, merged.status());
        assertTrue(merged.errorMessage().contains("provenance keys [task_started_at]"), merged.errorMessage());
        assertEquals(TASK.get("task_started_at"), merged.provenance().get("task_started_at"),
                "the FAILED row states the task's own time");
    }
}
