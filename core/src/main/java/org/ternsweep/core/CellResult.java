package org.ternsweep.core;

import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * What one cell reports (spec §6): metrics, timings, per-layer diagnostics, status and the observed
 * half of provenance. A FAILED result carries the error's class and message and NaN metrics; it is
 * never mistaken for a measurement.
 *
 * @param provenance observed facts: host, executor, the cell's and the task's start/end times, versions, JVM,
 *                   OS/arch, backend, dataset SHA-256, float-model cache key, Spark application id (the
 *                   executor's keys, then the driver's task adds its own; docs/results-schema.md)
 */
public record CellResult(
        String cellId,
        CellSpec spec,
        Status status,
        String errorClass,
        String errorMessage,
        double accuracy,
        double crossEntropy,
        double floatAccuracy,
        double quantizeSeconds,
        double evalSeconds,
        List<LayerDiagnostics> layers,
        List<EpochStat> trainingCurve,
        Map<String, String> provenance) implements Serializable {

    /** OK, or FAILED with the error recorded. */
    public enum Status { OK, FAILED }

    public CellResult {
        layers = layers == null ? List.of() : List.copyOf(layers);
        trainingCurve = trainingCurve == null ? List.of() : List.copyOf(trainingCurve);
        provenance = provenance == null ? Map.of() : Map.copyOf(provenance);
    }

    /** A FAILED result; a {@link TrainingDivergedException} keeps its training curve in the row. */
    public static CellResult failed(CellSpec spec, Throwable error, Map<String, String> provenance) {
        String msg = error.getMessage() == null ? "" : error.getMessage();
        List<EpochStat> curve = error instanceof TrainingDivergedException d ? d.curve() : List.of();
        return new CellResult(spec.cellId(), spec, Status.FAILED, error.getClass().getName(), msg,
                Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, List.of(), curve, provenance);
    }

    /**
     * This result with {@code extra} added to its provenance. The keys must be new: two writers that used
     * one name would leave a row that silently states only one of them, so a clash is refused.
     *
     * @throws IllegalArgumentException naming the keys {@code extra} shares with the provenance already there
     */
    public CellResult withProvenance(Map<String, String> extra) {
        List<String> clash = extra.keySet().stream().filter(provenance::containsKey).sorted().toList();
        if (!clash.isEmpty()) {
            throw new IllegalArgumentException("provenance keys " + clash + " of cell " + cellId + " are written twice"
                    + " (already " + clash.stream().map(k -> k + "=" + provenance.get(k)).toList() + "); each writer"
                    + " of provenance names its keys apart (docs/results-schema.md)");
        }
        Map<String, String> merged = new java.util.TreeMap<>(provenance);
        merged.putAll(extra);
        return new CellResult(cellId, spec, status, errorClass, errorMessage, accuracy, crossEntropy, floatAccuracy,
                quantizeSeconds, evalSeconds, layers, trainingCurve, merged);
    }
}
