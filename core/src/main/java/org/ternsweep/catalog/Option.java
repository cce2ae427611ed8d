package org.ternsweep.catalog;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * One option of a component, typed: its {@link OptionSpec} (name, type, default, bounds, help: what validation and
 * {@code ternsweep list} show) and how its resolved value reads as a Java value. Options are constants of the record
 * they fill (e.g. {@link QatOptions#EPOCHS}), so each default is written once, beside its field.
 *
 * <p>A resolved value is what a cell's canonical JSON holds (spec and cellId depend on it): a Long for integers, a
 * Double for reals, a Boolean, or a String for a choice. {@link #canonical} gives it for a typed value (presets).
 *
 * @param <T> the Java type the option reads as
 */
public final class Option<T> {
    private final OptionSpec spec;
    private final Function<Object, T> reader;
    private final Function<T, Object> writer;
    private final boolean omittedAtDefault;

    private Option(OptionSpec spec, Function<Object, T> reader, Function<T, Object> writer) {
        this(spec, reader, writer, false);
    }

    private Option(OptionSpec spec, Function<Object, T> reader, Function<T, Object> writer, boolean omittedAtDefault) {
        this.spec = spec;
        this.reader = reader;
        this.writer = writer;
        this.omittedAtDefault = omittedAtDefault;
    }

    /**
     * This option, marked as added after cells of its component were stored: resolved option maps, and so the cell's
     * canonical JSON and cellId, leave it out while it has its default value (docs/results-schema.md, "Cell
     * identity"). Every option added to a component that already has stored cells must be declared so, or every
     * existing cell of the component would change its id.
     */
    public Option<T> omittedAtDefault() {
        return new Option<>(spec, reader, writer, true);
    }

    /** Whether resolved maps leave this option out at its default (see {@link #omittedAtDefault()}). */
    public boolean isOmittedAtDefault() {
        return omittedAtDefault;
    }

    /** An integer in [min, max], resolved as a Long and read as an int. */
    public static Option<Integer> integer(String name, int def, int min, int max, String help) {
        return new Option<>(OptionSpec.integer(name, def, min, max, help),
                v -> Math.toIntExact(((Number) v).longValue()), Integer::longValue);
    }

    /**
     * An option that was a boolean and gained named values: sweep files write {@code false}, {@code true} or the label
     * of one of the other constants, and false and true resolve to the booleans they always did (so cells stored
     * before the option gained values keep their ids), the others to their labels.
     *
     * @param def       the default
     * @param whenFalse the constant {@code false} means
     * @param whenTrue  the constant {@code true} means
     */
    public static <E extends Enum<E>> Option<E> boolOrChoice(String name, E def, E whenFalse, E whenTrue,
                                                             String help) {
        Class<E> type = def.getDeclaringClass();
        Function<E, Object> writer = e -> e == whenFalse ? Boolean.FALSE : e == whenTrue ? Boolean.TRUE : label(e);
        List<String> labels = Arrays.stream(type.getEnumConstants()).map(e -> String.valueOf(writer.apply(e)))
                .toList();
        Function<Object, E> reader = v -> v instanceof Boolean b ? (b ? whenTrue : whenFalse)
                : parse(type, String.valueOf(v));
        return new Option<>(OptionSpec.boolOrChoice(name, writer.apply(def), labels, help), reader, writer);
    }

    /** A finite number in [min, max], resolved as a Double. */
    public static Option<Double> real(String name, double def, double min, double max, String help) {
        return new Option<>(OptionSpec.real(name, def, min, max, help), v -> ((Number) v).doubleValue(), v -> v);
    }

    /** true or false. */
    public static Option<Boolean> bool(String name, boolean def, String help) {
        return new Option<>(OptionSpec.bool(name, def, help), v -> (Boolean) v, v -> v);
    }

    /**
     * One of the constants of an enum, written in sweep files as their {@link #label}s, in declaration order.
     *
     * @param def the default; its class gives the allowed values
     */
    public static <E extends Enum<E>> Option<E> choice(String name, E def, String help) {
        Class<E> type = def.getDeclaringClass();
        List<String> labels = Arrays.stream(type.getEnumConstants()).map(Option::label).toList();
        return new Option<>(OptionSpec.choice(name, label(def), labels, help), v -> parse(type, String.valueOf(v)),
                Option::label);
    }

    /** How a choice constant is written in sweep files and resolved options: its name in lower case. */
    public static String label(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }

    private static <E extends Enum<E>> E parse(Class<E> type, String label) {
        for (E e : type.getEnumConstants()) {
            if (label(e).equals(label)) {
                return e;
            }
        }
        throw new IllegalStateException("'" + label + "' is not a " + type.getSimpleName() + "; resolved options hold"
                + " only the labels the catalog allows");
    }

    public OptionSpec spec() {
        return spec;
    }

    public String name() {
        return spec.name();
    }

    /** The typed value of a resolved value (one {@link ComponentSpec#resolve} produced). */
    T read(Object resolved) {
        return reader.apply(resolved);
    }

    /** The typed default. */
    T defaultValue() {
        return reader.apply(spec.defaultValue());
    }

    /** The resolved (canonical) value of a typed one: Long, Double, Boolean or the choice's label. */
    public Object canonical(T value) {
        return writer.apply(value);
    }

    /** This option set to {@code value}, as a resolved entry (for presets, see {@link Presets}). */
    public Map.Entry<String, Object> set(T value) {
        return Map.entry(name(), canonical(value));
    }

    @Override
    public String toString() {
        return name();
    }
}
