package org.ternsweep.driver.sweep;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One entry of the {@code models} axis after validation: a zoo model (trained by ternsweep) or an imported ONNX
 * network (sweeps/README.md, "models"; docs/models.md).
 *
 * @param name     the value of the {@code model} column
 * @param onnx     where the driver read the file (absolute path or Hadoop URI); null for a zoo model
 * @param sha256   the file's SHA-256: with the normalisation, the model's identity in every cell; null for a zoo model
 * @param mean     per-channel mean subtracted after scaling pixels to [0, 1], or null for none
 * @param std      per-channel divisor, given exactly when {@code mean} is
 * @param producer the exporting tool as the file names it (for the plan and provenance); null for a zoo model
 * @param opset    the file's default-domain opset; 0 for a zoo model
 */
public record ModelEntry(String name, String onnx, String sha256, List<Double> mean, List<Double> std,
                         String producer, int opset) {
    public ModelEntry {
        Objects.requireNonNull(name, "name");
        mean = mean == null ? null : List.copyOf(mean);
        std = std == null ? null : List.copyOf(std);
    }

    /** A zoo model. */
    public static ModelEntry zoo(String name) {
        return new ModelEntry(name, null, null, null, null, null, 0);
    }

    /** Whether this is an imported network rather than a zoo model. */
    public boolean imported() {
        return onnx != null;
    }

    /**
     * What a cell's {@code model_source} holds: {@code {format: onnx, sha256, mean, std}} (the normalisation only
     * when given), never the path; empty for a zoo model.
     */
    public Map<String, Object> source() {
        if (!imported()) {
            return Map.of();
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", "onnx");
        m.put("sha256", sha256);
        if (mean != null) {
            m.put("mean", mean);
            m.put("std", std);
        }
        return m;
    }

    /** As the resolved sweep.yaml writes it: the zoo name, or {@code {name, onnx, sha256, mean?, std?}}. */
    public Object toResolved() {
        if (!imported()) {
            return name;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("onnx", onnx);
        m.put("sha256", sha256);
        if (mean != null) {
            m.put("mean", mean);
            m.put("std", std);
        }
        return m;
    }
}
