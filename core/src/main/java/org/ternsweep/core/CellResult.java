package org.ternsweep.core;

import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * What one cell reports (spec §6): metrics, timings, per-layer diagnostics, status and the observed
 * half of provenance. A FAILED result carries the error's class and message and NaN metrics; it is
 * never mistaken for a measurement.
 *
 * @param provenance observed facts: host, executor, start/end time, versions, JVM, OS/arch, backend,
 *                   dataset SHA-256, float-model cache key, Spark application id (filled by the driver)
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

    public static CellResult failed(CellSpec spec, Throwable error, Map<String, String> provenance) {
        String msg = error.getMessage() == null ? "" : error.getMessage();
        return new CellResult(spec.cellId(), spec, Status.FAILED, error.getClass().getName(), msg,
                Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, List.of(), List.of(), provenance);
    }

    public CellResult withProvenance(Map<String, String> extra) {
        Map<String, String> merged = new java.util.TreeMap<>(provenance);
        merged.putAll(extra);
        return new CellResult(cellId, spec, status, errorClass, errorMessage, accuracy, crossEntropy, floatAccuracy,
                quantizeSeconds, evalSeconds, layers, trainingCurve, merged);
    }
}
