package org.ternsweep.catalog;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A named component (operator, method, model, dataset) with its options and optional presets.
 * {@link #resolve} turns what a sweep file gives into a complete, validated, sorted option map:
 * presets first, then explicit values, then defaults. Executors only ever see resolved maps.
 */
public record ComponentSpec(String name, String help, List<OptionSpec> options,
                            Map<String, Map<String, Object>> presets) implements Serializable {

    public ComponentSpec {
        options = List.copyOf(options);
        presets = presets == null ? Map.of() : Map.copyOf(presets);
    }

    public ComponentSpec(String name, String help, List<OptionSpec> options) {
        this(name, help, options, Map.of());
    }

    public OptionSpec option(String key) {
        for (OptionSpec o : options) {
            if (o.name().equals(key)) {
                return o;
            }
        }
        return null;
    }

    public List<String> optionNames() {
        List<String> names = new ArrayList<>();
        options.forEach(o -> names.add(o.name()));
        if (!presets.isEmpty()) {
            names.add("preset");
        }
        return names;
    }

    /**
     * Validates and completes the options.
     *
     * @throws OptionException naming the key, the value and what is allowed
     */
    public Map<String, Object> resolve(Map<String, ?> given) {
        Map<String, Object> out = new TreeMap<>();
        Map<String, ?> in = given == null ? Map.of() : given;
        Object preset = in.get("preset");
        if (preset != null) {
            Map<String, Object> p = presets.get(String.valueOf(preset));
            if (p == null) {
                throw new OptionException(name, "preset", preset, "one of " + String.join(", ", presets.keySet()));
            }
            out.put("preset", String.valueOf(preset));
            out.putAll(p);
        } else if (presets.containsKey("cpu")) {
            out.put("preset", "cpu");
            out.putAll(presets.get("cpu"));
        }
        for (Map.Entry<String, ?> e : in.entrySet()) {
            if (e.getKey().equals("preset")) {
                continue;
            }
            OptionSpec spec = option(e.getKey());
            if (spec == null) {
                throw new OptionException(name, e.getKey(), e.getValue(),
                        options.isEmpty() ? "no options" : "one of the keys " + String.join(", ", optionNames()), true);
            }
            out.put(e.getKey(), coerce(spec, e.getValue()));
        }
        for (OptionSpec o : options) {
            out.putIfAbsent(o.name(), o.defaultValue());
        }
        return out;
    }

    private Object coerce(OptionSpec spec, Object v) {
        switch (spec.type()) {
            case BOOL -> {
                if (v instanceof Boolean b) {
                    return b;
                }
            }
            case INT -> {
                if (v instanceof Integer || v instanceof Long || v instanceof Short) {
                    long l = ((Number) v).longValue();
                    if (l >= spec.min() && l <= spec.max()) {
                        return l;
                    }
                }
            }
            case DOUBLE -> {
                if (v instanceof Number n) {
                    double d = n.doubleValue();
                    if (Double.isFinite(d) && d >= spec.min() && d <= spec.max()) {
                        return d;
                    }
                }
            }
            case CHOICE -> {
                if (v != null && spec.allowed().contains(String.valueOf(v))) {
                    return String.valueOf(v);
                }
            }
        }
        throw new OptionException(name, spec.name(), v, spec.describeAllowed());
    }
}
