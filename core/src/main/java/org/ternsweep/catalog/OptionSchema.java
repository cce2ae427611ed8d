package org.ternsweep.catalog;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The options of a component and the typed record they fill: the option list is what the {@link Catalog} validates
 * and lists, the record is what operators and methods receive. A record declares its options as {@link Option}
 * constants and its schema once, e.g.
 * {@code OptionSchema.of(v -> new MQuantOptions(v.get(LEVEL), v.get(SYMMETRIC)), LEVEL, SYMMETRIC)}.
 *
 * @param <R> the options record
 */
public final class OptionSchema<R> {
    private final List<Option<?>> options;
    private final Function<Values, R> build;
    private final Option<?> inertOption;
    private final Predicate<Values> inertWhen;

    private OptionSchema(List<Option<?>> options, Function<Values, R> build) {
        this(options, build, null, null);
    }

    private OptionSchema(List<Option<?>> options, Function<Values, R> build, Option<?> inertOption,
                         Predicate<Values> inertWhen) {
        List<String> names = new ArrayList<>();
        for (Option<?> o : options) {
            if (names.contains(o.name())) {
                throw new IllegalArgumentException("option '" + o.name() + "' is declared twice in one schema");
            }
            names.add(o.name());
        }
        this.options = List.copyOf(options);
        this.build = build;
        this.inertOption = inertOption;
        this.inertWhen = inertWhen;
    }

    /**
     * This schema, with {@code option} (one declared {@link Option#omittedAtDefault()}) also left out of resolved maps
     * wherever {@code inert} says the other options make it irrelevant, so that settings that compute the same thing
     * share one cellId (e.g. data-free's calibration size when no correction uses the calibration images).
     */
    public OptionSchema<R> omittedWhen(Option<?> option, Predicate<Values> inert) {
        if (!options.contains(option) || !option.isOmittedAtDefault()) {
            throw new IllegalArgumentException("option '" + option.name() + "' must be one of " + options
                    + " and declared omittedAtDefault() to be omitted where it is inert");
        }
        return new OptionSchema<>(options, build, option, inert);
    }

    /** Removes the inert option from a complete resolved map where the rest of the map makes it irrelevant. */
    void omitInert(Map<String, Object> resolved) {
        if (inertOption != null && inertWhen.test(new Values(options, resolved))) {
            resolved.remove(inertOption.name());
        }
    }

    /**
     * A schema of {@code options}, in the order {@code ternsweep list} shows them.
     *
     * @param build makes the record from the resolved values, read through the options' {@link Values#get}
     */
    public static <R> OptionSchema<R> of(Function<Values, R> build, Option<?>... options) {
        return new OptionSchema<>(List.of(options), build);
    }

    /** The typed options, in order. */
    public List<Option<?>> options() {
        return options;
    }

    /** What each option is, in order: names, types, defaults, bounds, help. */
    public List<OptionSpec> specs() {
        return options.stream().map(Option::spec).toList();
    }

    /** The record of a complete resolved map (every option present, canonical types). */
    R build(Map<String, ?> resolved) {
        return build.apply(new Values(options, resolved));
    }

    /** The resolved values of one component, read by their typed options. */
    public static final class Values {
        private final List<Option<?>> options;
        private final Map<String, ?> resolved;

        private Values(List<Option<?>> options, Map<String, ?> resolved) {
            this.options = options;
            this.resolved = resolved;
        }

        /** The value of {@code option}, typed. */
        public <T> T get(Option<T> option) {
            if (!options.contains(option)) {
                throw new IllegalStateException("option '" + option.name() + "' is not one of this schema's "
                        + options + "; a record reads only the options its schema declares");
            }
            Object v = resolved.get(option.name());
            if (v == null && option.isOmittedAtDefault()) {
                return option.defaultValue();
            }
            if (v == null) {
                throw new IllegalStateException("option '" + option.name() + "' is missing from " + resolved.keySet()
                        + "; options are resolved through the Catalog before they are read");
            }
            return option.read(v);
        }
    }
}
