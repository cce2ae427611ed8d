package org.ternsweep.catalog;

/** The options record of a component that has none (native, tquant, the models and datasets). */
public record NoOptions() {
    /** The empty schema. */
    public static final OptionSchema<NoOptions> SCHEMA = OptionSchema.of(v -> new NoOptions());
}
