package org.ternsweep.catalog;

import java.io.Serializable;
import java.util.List;

/**
 * What one option of a component is: its name, type, default and allowed values. Options are declared as typed
 * {@link Option}s of the record they fill; the {@link Catalog} lists them, and the driver validates sweep files
 * against them before anything runs.
 *
 * @param allowed for {@link Type#CHOICE} the allowed values, otherwise empty
 * @param min     inclusive lower bound for numbers (use -Infinity for none)
 * @param max     inclusive upper bound for numbers (use +Infinity for none)
 */
public record OptionSpec(String name, Type type, Object defaultValue, List<String> allowed, double min,
                         double max, String help) implements Serializable {

    /**
     * The value types a sweep file may give. {@code BOOL_OR_CHOICE}: {@code false}, {@code true} (resolved as
     * booleans) or one of the other allowed labels (resolved as strings); see {@link Option#boolOrChoice}.
     */
    public enum Type { INT, DOUBLE, BOOL, CHOICE, BOOL_OR_CHOICE }

    public OptionSpec {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("option name must not be blank");
        }
        allowed = allowed == null ? List.of() : List.copyOf(allowed);
        if ((type == Type.CHOICE || type == Type.BOOL_OR_CHOICE) && allowed.isEmpty()) {
            throw new IllegalArgumentException("choice option '" + name + "' needs allowed values");
        }
    }

    public static OptionSpec integer(String name, long def, long min, long max, String help) {
        return new OptionSpec(name, Type.INT, def, List.of(), min, max, help);
    }

    public static OptionSpec real(String name, double def, double min, double max, String help) {
        return new OptionSpec(name, Type.DOUBLE, def, List.of(), min, max, help);
    }

    public static OptionSpec bool(String name, boolean def, String help) {
        return new OptionSpec(name, Type.BOOL, def, List.of(), 0, 1, help);
    }

    public static OptionSpec choice(String name, String def, List<String> allowed, String help) {
        return new OptionSpec(name, Type.CHOICE, def, allowed, 0, 0, help);
    }

    /**
     * false, true or one of the other {@code allowed} labels.
     *
     * @param def     Boolean.FALSE, Boolean.TRUE or one of the labels
     * @param allowed every value as sweep files write it, "false" and "true" included
     */
    public static OptionSpec boolOrChoice(String name, Object def, List<String> allowed, String help) {
        return new OptionSpec(name, Type.BOOL_OR_CHOICE, def, allowed, 0, 0, help);
    }

    /**
     * The resolved (canonical) value of a value a sweep file gives, or null when it is not allowed: integers as
     * Long, numbers as Double, booleans, choices as their String. A resolved value coerces to itself.
     */
    public Object coerce(Object v) {
        switch (type) {
            case BOOL -> {
                if (v instanceof Boolean b) {
                    return b;
                }
            }
            case INT -> {
                if (v instanceof Integer || v instanceof Long || v instanceof Short) {
                    long l = ((Number) v).longValue();
                    if (l >= min && l <= max) {
                        return l;
                    }
                }
            }
            case DOUBLE -> {
                if (v instanceof Number n) {
                    double d = n.doubleValue();
                    if (Double.isFinite(d) && d >= min && d <= max) {
                        return d;
                    }
                }
            }
            case CHOICE -> {
                if (v != null && allowed.contains(String.valueOf(v))) {
                    return String.valueOf(v);
                }
            }
            case BOOL_OR_CHOICE -> {
                if (v instanceof Boolean b) {
                    return b;
                }
                String label = String.valueOf(v);
                if (v instanceof String && allowed.contains(label)) {
                    return label.equals("true") || label.equals("false") ? Boolean.valueOf(label) : label;
                }
            }
        }
        return null;
    }

    /** Human description of what is allowed, used in error messages and `ternsweep list`. */
    public String describeAllowed() {
        return switch (type) {
            case INT -> "an integer in [" + (long) min + ", " + (max >= Long.MAX_VALUE ? "∞" : (long) max) + "]";
            case DOUBLE -> "a number in [" + min + ", " + max + "]";
            case BOOL -> "true or false";
            case CHOICE, BOOL_OR_CHOICE -> "one of " + String.join(", ", allowed);
        };
    }
}
