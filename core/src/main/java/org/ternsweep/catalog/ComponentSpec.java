package org.ternsweep.catalog;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A named component (operator, method, model, dataset, or the sweep's recipe and evaluation settings) with its
 * options, their typed record {@code O} and optional presets. {@link #resolve} turns what a sweep file gives into a
 * complete, validated, sorted option map — presets first, then explicit values, then defaults — which a cell's
 * spec (and so its cellId) holds; {@link #read} turns such a map into the record the executors use.
 *
 * @param <O> the options record
 */
public final class ComponentSpec<O> {
    private final String name;
    private final String help;
    private final OptionSchema<O> schema;
    private final Presets presets;

    public ComponentSpec(String name, String help, OptionSchema<O> schema) {
        this(name, help, schema, Presets.NONE);
    }

    /**
     * @throws IllegalArgumentException if a preset sets an option the schema lacks or a value it would not resolve to
     */
    public ComponentSpec(String name, String help, OptionSchema<O> schema, Presets presets) {
        if (name == null || name.isBlank() || schema == null || presets == null) {
            throw new IllegalArgumentException("a component needs a name, a schema and presets"
                    + " (Presets.NONE for none)");
        }
        this.name = name;
        this.help = help;
        this.schema = schema;
        this.presets = presets;
        presets.byName().forEach((preset, values) -> values.forEach((key, value) -> {
            OptionSpec spec = option(key);
            if (spec == null || !value.equals(spec.coerce(value))) {
                throw new IllegalArgumentException("preset '" + preset + "' of '" + name + "' sets " + key + " = "
                        + value + ", which is not a resolved value of one of its options " + optionNames());
            }
        }));
    }

    public String name() {
        return name;
    }

    public String help() {
        return help;
    }

    public OptionSchema<O> schema() {
        return schema;
    }

    /** The options, in the order {@code ternsweep list} shows them. */
    public List<OptionSpec> options() {
        return schema.specs();
    }

    /** Preset name → option values; empty when the component has none. */
    public Map<String, Map<String, Object>> presets() {
        return presets.byName();
    }

    /** The preset applied when a sweep names none, or null without presets. */
    public String defaultPreset() {
        return presets.defaultName();
    }

    public OptionSpec option(String key) {
        for (OptionSpec o : options()) {
            if (o.name().equals(key)) {
                return o;
            }
        }
        return null;
    }

    public List<String> optionNames() {
        List<String> names = new ArrayList<>();
        options().forEach(o -> names.add(o.name()));
        if (!presets.isEmpty()) {
            names.add("preset");
        }
        return names;
    }

    /**
     * Validates and completes the options (idempotent: a resolved map resolves to itself). Options declared
     * {@link Option#omittedAtDefault()} are left out at their default, and those the schema declares inert in a
     * setting ({@link OptionSchema#omittedWhen}) are left out there, so that the map, which a cell's id hashes, holds
     * only what can change the result.
     *
     * @throws OptionException naming the key, the value and what is allowed
     */
    public Map<String, Object> resolve(Map<String, ?> given) {
        Map<String, Object> out = new TreeMap<>();
        Map<String, ?> in = given == null ? Map.of() : given;
        Object preset = in.get("preset");
        if (preset != null) {
            Map<String, Object> p = presets.byName().get(String.valueOf(preset));
            if (p == null) {
                throw new OptionException(name, "preset", preset,
                        "one of " + String.join(", ", presets.byName().keySet()));
            }
            out.put("preset", String.valueOf(preset));
            out.putAll(p);
        } else if (!presets.isEmpty()) {
            out.put("preset", presets.defaultName());
            out.putAll(presets.byName().get(presets.defaultName()));
        }
        for (Map.Entry<String, ?> e : in.entrySet()) {
            if (e.getKey().equals("preset")) {
                continue;
            }
            OptionSpec spec = option(e.getKey());
            if (spec == null) {
                String allowed = options().isEmpty() ? "no options"
                        : "one of the keys " + String.join(", ", optionNames());
                throw new OptionException(name, e.getKey(), e.getValue(), allowed, true);
            }
            Object v = spec.coerce(e.getValue());
            if (v == null) {
                throw new OptionException(name, spec.name(), e.getValue(), spec.describeAllowed());
            }
            out.put(e.getKey(), v);
        }
        for (OptionSpec o : options()) {
            out.putIfAbsent(o.name(), o.defaultValue());
        }
        for (Option<?> o : schema.options()) {
            if (o.isOmittedAtDefault() && o.spec().defaultValue().equals(out.get(o.name()))) {
                out.remove(o.name());
            }
        }
        schema.omitInert(out);
        return out;
    }

    /**
     * The typed options of {@code given} (resolved first, so missing options take their defaults).
     *
     * @throws OptionException         for an unknown key or a value that is not allowed
     * @throws org.ternsweep.core.BadInputException for values that are allowed one by one but not together
     */
    public O read(Map<String, ?> given) {
        return schema.build(resolve(given));
    }

    /** The typed defaults (with the default preset, if any). */
    public O defaults() {
        return read(Map.of());
    }

    @Override
    public String toString() {
        return name;
    }
}
