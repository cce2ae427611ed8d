package org.ternsweep.driver.sweep;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.ternsweep.results.stats.AdaptiveSeeds;

/**
 * A validated sweep with every default resolved (sweeps/README.md documents each key). Built by
 * {@link SweepParser}; {@link Grid#expand} turns it into cells; {@link #toResolvedMap()} is what
 * the driver writes to {@code <out>/sweep.yaml}.
 *
 * @param modelSeeds  the float baselines' training seeds ({@code model_seed} or {@code model_seeds}); each trains
 *                    and caches its own float model, and every cell runs once per model seed
 * @param calibration the sweep-wide calibration size, already applied to every method entry that has
 *                    a {@code calibration} option and did not set it; null when not given
 * @param seeds       the cell seeds; with {@code adaptive} every seed a group may run, 0 to max − 1, of which
 *                    the driver runs as many per group as the rule asks
 * @param adaptive    the adaptive seed rule ({@code seeds: {adaptive: ...}}), or null for a fixed seed axis
 * @param engine      the engine the cells run on ({@code auto}, {@code cpu} or {@code cuda}): an execution setting,
 *                    recorded in sweep.yaml and in each cell's provenance but not in any cellId (docs/gpu.md)
 * @param datasetSource every cell's {@code dataset_source}: {@code {format: npz, sha256}} for a user dataset, empty
 *                    for a built-in one
 * @param datasetFile a user dataset's file, as an absolute local path or a Hadoop URI; null for a built-in one
 */
public record Sweep(String name, String dataset, String firstLast, List<Long> modelSeeds, Map<String, Object> recipe,
                    Map<String, Object> evaluation, String reference, Long calibration, List<ModelEntry> models,
                    List<Long> seeds, AdaptiveSeeds.Policy adaptive, List<ComponentEntry> operators,
                    List<String> granularities, List<ComponentEntry> methods, String engine, List<String> warnings,
                    Map<String, Object> datasetSource, String datasetFile) {

    public Sweep {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(dataset, "dataset");
        Objects.requireNonNull(firstLast, "firstLast");
        Objects.requireNonNull(reference, "reference");
        Objects.requireNonNull(engine, "engine");
        recipe = Collections.unmodifiableMap(new TreeMap<>(recipe));
        evaluation = Collections.unmodifiableMap(new TreeMap<>(evaluation));
        modelSeeds = List.copyOf(modelSeeds);
        models = List.copyOf(models);
        seeds = List.copyOf(seeds);
        operators = List.copyOf(operators);
        granularities = List.copyOf(granularities);
        methods = List.copyOf(methods);
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
        datasetSource = datasetSource == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(datasetSource));
        if (datasetSource.isEmpty() != (datasetFile == null)) {
            throw new IllegalArgumentException("a user dataset needs both its dataset_source and its file");
        }
        for (List<?> axis : List.of(modelSeeds, models, seeds, operators, granularities, methods)) {
            if (axis.isEmpty()) {
                throw new IllegalArgumentException("every axis of a sweep needs at least one entry");
            }
        }
    }

    /** The sweep as plain maps and lists, defaults filled in, in the key order of sweeps/README.md. */
    public Map<String, Object> toResolvedMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        if (datasetSource.isEmpty()) {
            m.put("dataset", dataset);
        } else {
            // the file's absolute path and hash: enough to run the same cells again from this file alone
            Map<String, Object> d = new LinkedHashMap<>();
            String sha = (String) datasetSource.get("sha256");
            d.put("name", dataset);
            d.put(String.valueOf(datasetSource.get("format")), datasetFile);
            d.put("sha256", sha);
            m.put("dataset", d);
        }
        m.put("first_last", firstLast);
        if (modelSeeds.size() == 1) {
            m.put("model_seed", modelSeeds.get(0));
        } else {
            m.put("model_seeds", modelSeeds);
        }
        m.put("recipe", recipe);
        m.put("evaluation", evaluation);
        m.put("reference", reference);
        if (calibration != null) {
            m.put("calibration", calibration);
        }
        m.put("models", models.stream().map(ModelEntry::toResolved).toList());
        if (adaptive == null) {
            m.put("seeds", seeds);
        } else {
            Map<String, Object> rule = new LinkedHashMap<>();
            rule.put("initial", adaptive.initial());
            rule.put("max", adaptive.max());
            rule.put("step", adaptive.step());
            rule.put("ci95_half_width", adaptive.ci95HalfWidth());
            m.put("seeds", Map.of("adaptive", rule));
        }
        m.put("operators", entries(operators));
        m.put("granularities", granularities);
        m.put("methods", entries(methods));
        m.put("engine", engine);
        return m;
    }

    /** The user-supplied files the cells read (imported networks, a user dataset), SHA-256 → where the driver found them. */
    public Map<String, String> inputFiles() {
        Map<String, String> files = new TreeMap<>();
        for (ModelEntry m : models) {
            if (m.imported()) {
                files.put(m.sha256(), m.onnx());
            }
        }
        if (datasetFile != null) {
            files.put((String) datasetSource.get("sha256"), datasetFile);
        }
        return files;
    }

    private static List<Map<String, Object>> entries(List<ComponentEntry> list) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (ComponentEntry e : list) {
            out.add(Map.of(e.name(), e.options()));
        }
        return out;
    }
}
