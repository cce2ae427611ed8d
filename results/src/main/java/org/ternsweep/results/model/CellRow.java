package org.ternsweep.results.model;

import java.util.List;
import java.util.Objects;
import org.ternsweep.catalog.Catalog;

/**
 * One cell of a sweep as read back from the results store: its settings, its metrics and its per-layer
 * diagnostics (spec §6). A FAILED cell carries its error class and message and NaN metrics; it is
 * counted in the summaries and never averaged.
 *
 * @param operatorOptions the operator's resolved options as canonical JSON, {@code {}} if none ({@link #options})
 * @param methodOptions   the method's resolved options as canonical JSON, {@code {}} if none
 * @param accuracy        top-1 accuracy of the quantized model as a fraction in [0, 1]
 * @param floatAccuracy   top-1 accuracy of the float model on the same test set, in [0, 1]
 */
public record CellRow(String cellId, Status status, String model, String dataset, long modelSeed, long seed,
                      String operator, String operatorOptions, String granularity, String method,
                      String methodOptions, String firstLast, double accuracy, double crossEntropy,
                      double floatAccuracy, double quantizeSeconds, double evalSeconds, List<LayerRow> layers,
                      String errorClass, String error) {

    /** Whether the cell produced a measurement. */
    public enum Status { OK, FAILED }

    public CellRow {
        Objects.requireNonNull(cellId, "cellId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(dataset, "dataset");
        Objects.requireNonNull(operator, "operator");
        operatorOptions = options(operatorOptions);
        Objects.requireNonNull(granularity, "granularity");
        Objects.requireNonNull(method, "method");
        methodOptions = options(methodOptions);
        Objects.requireNonNull(firstLast, "firstLast");
        layers = layers == null ? List.of() : List.copyOf(layers);
        errorClass = errorClass == null ? "" : errorClass;
        error = error == null ? "" : error;
        if (status == Status.OK && !(accuracy >= 0.0 && accuracy <= 1.0)) {
            throw new IllegalArgumentException("cell " + cellId + " is OK but its accuracy " + accuracy
                    + " is not a fraction in [0, 1]; mark the cell FAILED or fix the value read from the store");
        }
    }

    /**
     * The canonical form of an options column: the JSON itself, and {@code {}} for no options, also when
     * given as null or "" (docs/results-schema.md). Cells, summary, comparisons and the CSVs all use it,
     * so a join on (operator, operator_options) matches every row.
     */
    public static String options(String json) {
        return json == null || json.isEmpty() ? "{}" : json;
    }

    /** How close to chance (1 / number of classes) an accuracy must be for the cell to count as collapsed. */
    public static final double COLLAPSE_MARGIN = 0.02;

    /** The settings this cell shares with the other operators, model seeds and seeds of its table row. */
    public GroupKey groupKey() {
        return new GroupKey(model, dataset, method, methodOptions, granularity, firstLast);
    }

    /**
     * True when the cell is OK and its accuracy is within {@link #COLLAPSE_MARGIN} (2 points) of chance: the
     * quantized network no longer tells the classes apart, so its accuracy says only that it failed, and a mean
     * or difference that includes it mixes two regimes (docs/statistics.md). A user dataset's number of classes is
     * not among the cell's columns, so its cells are never flagged.
     */
    public boolean collapsed() {
        return ok() && Catalog.datasets().containsKey(dataset)
                && Math.abs(accuracy - 1.0 / Catalog.classes(dataset)) <= COLLAPSE_MARGIN;
    }

    /** The operator together with its options: one column of the table. */
    public OperatorKey operatorKey() {
        return new OperatorKey(operator, operatorOptions);
    }

    /** True when the cell produced a measurement. */
    public boolean ok() {
        return status == Status.OK;
    }
}
