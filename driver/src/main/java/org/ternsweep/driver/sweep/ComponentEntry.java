package org.ternsweep.driver.sweep;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One entry of the {@code operators} or {@code methods} axis after validation: the component's name
 * and its complete option map (defaults filled in by {@link org.ternsweep.catalog.ComponentSpec#resolve}).
 */
public record ComponentEntry(String name, Map<String, Object> options) {
    public ComponentEntry {
        Objects.requireNonNull(name, "name");
        options = options == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(options));
    }
}
