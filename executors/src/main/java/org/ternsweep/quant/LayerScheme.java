package org.ternsweep.quant;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * How one layer's weights are stored in a quantized model (spec §3): ternary codes, 8-bit, or kept in float.
 * The label is what {@link org.ternsweep.core.LayerDiagnostics#scheme()} records.
 */
public enum LayerScheme {
    TERNARY("ternary"),
    INT8("int8"),
    FP("fp");

    private final String label;

    LayerScheme(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /**
     * Parses a label.
     *
     * @throws IllegalArgumentException naming the value and the allowed labels
     */
    public static LayerScheme fromName(String name) {
        for (LayerScheme s : values()) {
            if (s.label.equals(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException("layer scheme '" + name + "' is not known: use one of "
                + Arrays.stream(values()).map(LayerScheme::label).collect(Collectors.joining(", ")));
    }

    @Override
    public String toString() {
        return label;
    }
}
