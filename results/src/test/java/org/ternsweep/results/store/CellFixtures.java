package org.ternsweep.results.store;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.ternsweep.core.CellResult;
import org.ternsweep.core.CellSpec;
import org.ternsweep.core.EpochStat;
import org.ternsweep.core.LayerDiagnostics;

/**
 * Cells for the store and report tests, written by the real {@link CellParquetWriter} as a sweep's tasks
 * write them: specs of a small grid (native without options, mquant and tquant with options, a few
 * seeds), results with a deterministic accuracy derived from the cell id, two layers of diagnostics (an
 * int8 one with undefined code fractions) and the provenance keys of the runner and the Spark task.
 */
public final class CellFixtures {
    /** When the fixtures' rows were written, unless a test says otherwise. */
    public static final Instant WRITTEN = Instant.parse("2025-01-01T00:00:00Z");

    private CellFixtures() {
    }

    /** A data-free, per-tensor cnn-small cell of {@code operator} at {@code seed}. */
    public static CellSpec spec(String operator, Map<String, Object> operatorOptions, long seed) {
        return new CellSpec("fashion-mnist", "cnn-small", Map.of("epochs", 2), 0, operator, operatorOptions,
                "per-tensor", "int8", "data-free", Map.of("bias_correction", false, "cle", false), seed,
                Map.of("batch", 500, "test_subset", 0));
    }

    /** native (no options), mquant and tquant (with options) at seeds 0 .. seeds-1. */
    public static List<CellSpec> grid(int seeds) {
        List<CellSpec> out = new ArrayList<>();
        for (long s = 0; s < seeds; s++) {
            out.add(spec("native", Map.of(), s));
            out.add(spec("mquant", Map.of("level", "mean", "symmetric", true), s));
            out.add(spec("tquant", Map.of("delta", 0.7), s));
        }
        return out;
    }

    /** A spec whose cell id starts with a character in {@code first} (the seed is searched). */
    public static CellSpec specWithIdStartingWith(String first) {
        for (long seed = 0; ; seed++) {
            CellSpec s = spec("native", Map.of(), seed);
            if (first.indexOf(s.cellId().charAt(0)) >= 0) {
                return s;
            }
        }
    }

    /** The accuracy {@link #ok} reports for a cell: in [0.5, 0.9), from its id. */
    public static double accuracyOf(String cellId) {
        return 0.5 + 0.4 * Integer.parseInt(cellId.substring(0, 4), 16) / 65536.0;
    }

    /** An OK result of {@code spec} with the provenance of the runner and of the task that ran it. */
    public static CellResult ok(CellSpec spec) {
        double acc = accuracyOf(spec.cellId());
        List<LayerDiagnostics> layers = List.of(
                new LayerDiagnostics("conv1", "int8", 400, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                        1e-4, 40.0),
                new LayerDiagnostics("fc1", "ternary", 1000, 0.1, 0.05, 0.3, 0.4, 0.3, 0.2, 7.0));
        return new CellResult(spec.cellId(), spec, CellResult.Status.OK, null, null, acc, 1 - acc, 0.91,
                0.001 * (spec.seed() + 1), 0.002, layers, List.of(new EpochStat(1, 0.5, 0.8)), provenance(spec));
    }

    /** A FAILED result of {@code spec} with {@code message}. */
    public static CellResult failed(CellSpec spec, String message) {
        return CellResult.failed(spec, new IllegalStateException(message), provenance(spec));
    }

    private static Map<String, String> provenance(CellSpec spec) {
        String second = String.format("%02d", spec.seed() % 60);
        return Map.of("host", "fixture-host", "executor_id", "driver", "executor_note", "fixture",
                "cell_started_at", "2025-01-01T00:00:" + second + ".500Z", "cell_finished_at",
                "2025-01-01T00:00:" + second + ".900Z", "cell_seconds", "0.4",
                "task_started_at", "2025-01-01T00:00:" + second + "Z",
                "task_finished_at", "2025-01-01T00:00:" + second + ".950Z");
    }

    /** Writes {@code result} as its per-cell file {@code cells/<cellId>.parquet}. */
    public static void store(OutputLayout layout, CellResult result, Instant finishedAt, Configuration conf)
            throws IOException {
        CellParquetWriter.write(result, finishedAt, layout.cell(result.cellId()), conf);
    }
}
