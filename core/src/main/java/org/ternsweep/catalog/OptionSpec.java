package org.ternsweep.catalog;

import java.io.Serializable;
import java.util.List;

/**
 * One option of an operator, method, model or dataset: its name, type, default and allowed values.
 * The catalog is the single documented place for every default (JMH's Defaults), and the driver
 * validates sweep files against it before anything runs.
 *
 * @param allowed for {@link Type#CHOICE} the allowed values, otherwise empty
 * @param min     inclusive lower bound for numbers (use -Infinity for none)
 * @param max     inclusive upper bound for numbers (use +Infinity for none)
 */
public record OptionSpec(String name, Type type, Object defaultValue, List<String> allowed, double min,
                         double max, String help) implements Serializable {

    /** The value types a sweep file may give. */
    public enum Type { INT, DOUBLE, BOOL, CHOICE }

    public OptionSpec {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("option name must not be blank");
        }
        allowed = allowed == null ? List.of() : List.copyOf(allowed);
        if (type == Type.CHOICE && allowed.isEmpty()) {
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

    /** Human description of what is allowed, used in error messages and `ternsweep list`. */
    public String describeAllowed() {
        return switch (type) {
            case INT -> "an integer in [" + (long) min + ", " + (max >= Long.MAX_VALUE ? "∞" : (long) max) + "]";
            case DOUBLE -> "a number in [" + min + ", " + max + "]";
            case BOOL -> "true or false";
            case CHOICE -> "one of " + String.join(", ", allowed);
        };
    }
}
