package org.ternsweep.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Every resolved setting of one run (spec §6). The driver resolves sweep file, CLI
 * overrides and defaults once, before fan-out; executors never read defaults, environment or system
 * properties. Option maps are complete (every option present) and sorted.
 *
 * <p>{@link #cellId()} is the SHA-256 of {@link #canonicalJson()}: stable across runs and grid
 * edits, the key for resume, de-duplication and joins.
 *
 * @param modelSource   where the float model comes from when it is not trained by the zoo: for an imported
 *                      network {@code {format: onnx, sha256, mean?, std?}} (its content, never its path, so moving
 *                      the file changes no cell); empty for a zoo model
 * @param datasetSource where a user dataset's arrays come from: {@code {format: npz, sha256}}; empty for a
 *                      built-in dataset. Both are left out of the canonical JSON when empty, so every cellId from
 *                      before they existed is unchanged.
 */
public record CellSpec(
        String dataset,
        String model,
        Map<String, Object> recipe,
        long modelSeed,
        String operator,
        Map<String, Object> operatorOptions,
        String granularity,
        String firstLast,
        String method,
        Map<String, Object> methodOptions,
        long seed,
        Map<String, Object> evaluation,
        Map<String, Object> modelSource,
        Map<String, Object> datasetSource) implements Serializable {

    public CellSpec {
        Objects.requireNonNull(dataset, "dataset");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(operator, "operator");
        Objects.requireNonNull(granularity, "granularity");
        Objects.requireNonNull(firstLast, "firstLast");
        Objects.requireNonNull(method, "method");
        recipe = sorted(recipe);
        operatorOptions = sorted(operatorOptions);
        methodOptions = sorted(methodOptions);
        evaluation = sorted(evaluation);
        modelSource = sorted(modelSource);
        datasetSource = sorted(datasetSource);
    }

    /** A cell on a zoo model and a built-in dataset (no model or dataset source). */
    public CellSpec(String dataset, String model, Map<String, Object> recipe, long modelSeed, String operator,
                    Map<String, Object> operatorOptions, String granularity, String firstLast, String method,
                    Map<String, Object> methodOptions, long seed, Map<String, Object> evaluation) {
        this(dataset, model, recipe, modelSeed, operator, operatorOptions, granularity, firstLast, method,
                methodOptions, seed, evaluation, Map.of(), Map.of());
    }

    /** Whether the float model is an imported network ({@link #modelSource()} non-empty) rather than a zoo model. */
    public boolean importedModel() {
        return !modelSource.isEmpty();
    }

    /** This cell with another seed (everything else, sources included, unchanged). */
    public CellSpec withSeed(long newSeed) {
        return new CellSpec(dataset, model, recipe, modelSeed, operator, operatorOptions, granularity, firstLast,
                method, methodOptions, newSeed, evaluation, modelSource, datasetSource);
    }

    private static Map<String, Object> sorted(Map<String, Object> m) {
        return m == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(m));
    }

    /** The configuration half of provenance, as a plain ordered map (also what is hashed). */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dataset", dataset);
        if (!datasetSource.isEmpty()) {
            m.put("dataset_source", datasetSource);
        }
        m.put("evaluation", evaluation);
        m.put("first_last", firstLast);
        m.put("granularity", granularity);
        m.put("method", method);
        m.put("method_options", methodOptions);
        m.put("model", model);
        m.put("model_seed", modelSeed);
        if (!modelSource.isEmpty()) {
            m.put("model_source", modelSource);
        }
        m.put("operator", operator);
        m.put("operator_options", operatorOptions);
        m.put("recipe", recipe);
        m.put("seed", seed);
        return m;
    }

    /** JSON with sorted keys at every level. */
    public String canonicalJson() {
        try {
            return CanonicalJson.write(new TreeMap<>(toMap()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise cell spec " + this, e);
        }
    }

    /** SHA-256 (hex) of the canonical JSON. */
    public String cellId() {
        return Sha256.of(canonicalJson());
    }

    /** Reads a spec back from its canonical JSON (for `ternsweep reproduce` and reports). */
    @SuppressWarnings("unchecked")
    public static CellSpec fromJson(String json) {
        try {
            Map<String, Object> m = CanonicalJson.reader().forType(Map.class).readValue(json);
            return new CellSpec((String) m.get("dataset"), (String) m.get("model"),
                    (Map<String, Object>) m.get("recipe"), ((Number) m.get("model_seed")).longValue(),
                    (String) m.get("operator"), (Map<String, Object>) m.get("operator_options"),
                    (String) m.get("granularity"), (String) m.get("first_last"), (String) m.get("method"),
                    (Map<String, Object>) m.get("method_options"), ((Number) m.get("seed")).longValue(),
                    (Map<String, Object>) m.get("evaluation"), (Map<String, Object>) m.get("model_source"),
                    (Map<String, Object>) m.get("dataset_source"));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a cell spec JSON: " + e.getOriginalMessage(), e);
        }
    }
}
