package org.ternsweep.runner;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.ternsweep.catalog.Catalog;
import org.ternsweep.catalog.ComponentSpec;
import org.ternsweep.core.BadInputException;
import org.ternsweep.methods.AdaroundMethod;
import org.ternsweep.methods.BrecqMethod;
import org.ternsweep.methods.DataFreeMethod;
import org.ternsweep.methods.QatMethod;
import org.ternsweep.methods.QuantizationMethod;
import org.ternsweep.quant.MQuantOperator;
import org.ternsweep.quant.NativeOperator;
import org.ternsweep.quant.OptimalOperator;
import org.ternsweep.quant.TQuantOperator;
import org.ternsweep.quant.TernaryOperator;
import org.ternsweep.quant.TwnOperator;

/**
 * The implementation of every operator and method of the {@link Catalog}: one factory per catalog entry, taking the
 * entry's typed options record. The catalog (in core, so that the driver and the results code see names, options
 * and defaults without the executors) says what exists; this class says what builds it, and refuses to load while
 * the two lists differ. The operator contract tests enumerate {@link #operators()}, so a registered operator is
 * under contract without further ado.
 *
 * <p>Adding an operator: its class in {@code org.ternsweep.quant}, its {@link ComponentSpec} in the catalog, and one
 * {@code operator(Catalog.X, options -> new XOperator(...))} line below; a method likewise with {@code method(...)}.
 */
public final class Registry {
    private static final Map<String, Entry<?, TernaryOperator>> OPERATORS = index("operator", Catalog.operators(),
            operator(Catalog.NATIVE, options -> new NativeOperator()),
            operator(Catalog.TQUANT, options -> new TQuantOperator()),
            operator(Catalog.MQUANT, MQuantOperator::new),
            operator(Catalog.TWN, options -> new TwnOperator()),
            operator(Catalog.OPTIMAL, options -> new OptimalOperator()));

    private static final Map<String, Entry<?, QuantizationMethod>> METHODS = index("method", Catalog.methods(),
            method(Catalog.DATA_FREE, DataFreeMethod::new),
            method(Catalog.ADAROUND, AdaroundMethod::new),
            method(Catalog.BRECQ, BrecqMethod::new),
            method(Catalog.QAT, QatMethod::new));

    private Registry() {
    }

    /**
     * A catalog entry with the factory of its implementation.
     *
     * @param <O> the entry's options record
     * @param <T> what the factory builds
     */
    public record Entry<O, T>(ComponentSpec<O> spec, Function<O, T> factory) {
        /** Builds the implementation from options as a sweep or a cell spec gives them (resolved here). */
        public T create(Map<String, ?> options) {
            return factory.apply(spec.read(options));
        }

        /** Builds the implementation from its typed options. */
        public T create(O options) {
            return factory.apply(options);
        }

        public String name() {
            return spec.name();
        }
    }

    /**
     * The operator {@code name} with {@code options} (resolved against the catalog: missing ones take their defaults).
     *
     * @throws BadInputException for an unknown name, an unknown option or a value that is not allowed
     */
    public static TernaryOperator operator(String name, Map<String, ?> options) {
        return lookup("operator", OPERATORS, name).create(options);
    }

    /**
     * The method {@code name} with {@code options} (resolved against the catalog: missing ones take their defaults).
     *
     * @throws BadInputException for an unknown name, an unknown option or a value that is not allowed
     */
    public static QuantizationMethod method(String name, Map<String, ?> options) {
        return lookup("method", METHODS, name).create(options);
    }

    /** Every operator, in catalog order. */
    public static List<Entry<?, TernaryOperator>> operators() {
        return List.copyOf(OPERATORS.values());
    }

    /** Every method, in catalog order. */
    public static List<Entry<?, QuantizationMethod>> methods() {
        return List.copyOf(METHODS.values());
    }

    private static <O> Entry<O, TernaryOperator> operator(ComponentSpec<O> spec, Function<O, TernaryOperator> f) {
        return new Entry<>(spec, f);
    }

    private static <O> Entry<O, QuantizationMethod> method(ComponentSpec<O> spec, Function<O, QuantizationMethod> f) {
        return new Entry<>(spec, f);
    }

    private static <T> Entry<?, T> lookup(String kind, Map<String, Entry<?, T>> entries, String name) {
        Entry<?, T> e = entries.get(name);
        if (e == null) {
            throw new BadInputException(kind + " '" + name + "' is not known: use one of "
                    + String.join(", ", entries.keySet()));
        }
        return e;
    }

    @SafeVarargs
    private static <T> Map<String, Entry<?, T>> index(String kind, Map<String, ComponentSpec<?>> catalog,
                                                       Entry<?, T>... entries) {
        Map<String, Entry<?, T>> byName = new LinkedHashMap<>();
        for (Entry<?, T> e : entries) {
            if (catalog.get(e.name()) != e.spec() || byName.put(e.name(), e) != null) {
                throw new IllegalStateException(kind + " '" + e.name() + "' is registered twice or with a spec"
                        + " that is not the catalog's");
            }
        }
        List<String> missing = new ArrayList<>(catalog.keySet());
        missing.removeAll(byName.keySet());
        if (!missing.isEmpty()) {
            throw new IllegalStateException("the catalog's " + kind + "(s) " + missing + " have no implementation in "
                    + Registry.class.getName());
        }
        Map<String, Entry<?, T>> ordered = new LinkedHashMap<>();
        catalog.keySet().forEach(n -> ordered.put(n, byName.get(n)));
        return Collections.unmodifiableMap(ordered);
    }
}
