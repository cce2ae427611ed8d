package org.ternsweep.driver.spark;

import java.util.List;
import java.util.Map;
import org.ternsweep.core.CellExecutor;
import org.ternsweep.core.CellResult;
import org.ternsweep.core.CellSpec;
import org.ternsweep.core.EpochStat;
import org.ternsweep.core.LayerDiagnostics;
import org.ternsweep.core.RunContext;

/**
 * Test executor: a deterministic pseudo-accuracy in [0.5, 0.9) derived from the cellId, two layers
 * of diagnostics (one int8 with NaN code fractions) and a two-point training curve. Tests the
 * driver's bookkeeping without ND4J.
 */
public class FakeExecutor implements CellExecutor {
    /** The accuracy this executor reports for a cell (tests recompute the summary from it). */
    public static double accuracyOf(String cellId) {
        return 0.5 + 0.4 * Integer.parseInt(cellId.substring(0, 4), 16) / 65536.0;
    }

    @Override
    public CellResult run(CellSpec spec, RunContext context) {
        String id = spec.cellId();
        double acc = accuracyOf(id);
        List<LayerDiagnostics> layers = List.of(
                new LayerDiagnostics("conv1", "int8", 400, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                        1e-4, 40.0),
                new LayerDiagnostics("fc1", "ternary", 1000, 0.1, 0.05, 0.3, 0.4, 0.3, 0.2, 7.0));
        return new CellResult(id, spec, CellResult.Status.OK, null, null, acc, 1 - acc, 0.91,
                0.001 * (spec.seed() + 1), 0.002, layers, List.of(new EpochStat(1, 0.5, 0.8), new EpochStat(2, 0.4, 0.85)),
                Map.of("executor_note", "fake", "threads_seen", Integer.toString(context.threads()), "cache_seen",
                        context.cacheDir()));
    }
}
