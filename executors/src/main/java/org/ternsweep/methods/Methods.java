package org.ternsweep.methods;

import java.util.Map;
import java.util.function.Supplier;
import org.ternsweep.catalog.Catalog;

/** The method registry: catalog name → implementation. Every name in {@link Catalog#methods()} must resolve. */
public final class Methods {
    private static final Map<String, Supplier<QuantizationMethod>> REGISTRY = Map.of(
            DataFreeMethod.NAME, DataFreeMethod::new,
            AdaroundMethod.NAME, AdaroundMethod::new,
            BrecqMethod.NAME, BrecqMethod::new,
            QatMethod.NAME, QatMethod::new);

    private Methods() {
    }

    public static QuantizationMethod create(String name) {
        Supplier<QuantizationMethod> s = REGISTRY.get(name);
        if (s == null) {
            throw new IllegalArgumentException("method '" + name + "' is not available in this build; available: "
                    + String.join(", ", new java.util.TreeSet<>(REGISTRY.keySet())));
        }
        return s.get();
    }
}
