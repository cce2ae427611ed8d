package org.ternsweep.quant;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * How the weights of one tensor are grouped for fitting (spec §1): one (λ, t) for the whole tensor, or one
 * per output channel. The output channel is axis 0 of a DL4J conv weight [out, in, kh, kw] and axis 1 of a
 * dense weight [nIn, nOut]; callers pass that axis explicitly.
 */
public enum Granularity {
    /** One group: the whole tensor. */
    PER_TENSOR("per-tensor"),
    /** One group per index along the output axis. */
    PER_CHANNEL("per-channel");

    private final String label;

    Granularity(String label) {
        this.label = label;
    }

    /** The name used in sweep files and in {@code Catalog.GRANULARITIES}. */
    public String label() {
        return label;
    }

    /**
     * Parses a sweep-file name.
     *
     * @throws IllegalArgumentException naming the value and the allowed names
     */
    public static Granularity fromName(String name) {
        for (Granularity g : values()) {
            if (g.label.equals(name)) {
                return g;
            }
        }
        throw new IllegalArgumentException("granularity '" + name + "' is not known: use one of "
                + Arrays.stream(values()).map(Granularity::label).collect(Collectors.joining(", ")));
    }

    @Override
    public String toString() {
        return label;
    }
}
