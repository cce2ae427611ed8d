package org.ternsweep.catalog;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Named sets of option values a sweep selects with {@code preset: name}; explicit options override them, defaults
 * fill the rest. A component with presets always resolves one ({@link #defaultName} when none is given), so the
 * preset's name is part of every resolved option map and of the cellId.
 *
 * @param defaultName the preset used when a sweep names none, or null when there are no presets
 * @param byName      preset name → resolved option values (canonical types), in the order they are listed
 */
public record Presets(String defaultName, Map<String, Map<String, Object>> byName) {
    /** No presets. */
    public static final Presets NONE = new Presets(null, Map.of());

    public Presets {
        Map<String, Map<String, Object>> copy = new LinkedHashMap<>();
        byName.forEach((k, v) -> copy.put(k, Collections.unmodifiableMap(new TreeMap<>(v))));
        byName = Collections.unmodifiableMap(copy);
        if (defaultName == null ? !byName.isEmpty() : !byName.containsKey(defaultName)) {
            throw new IllegalArgumentException("default preset '" + defaultName + "' must be one of "
                    + byName.keySet());
        }
    }

    /** A preset's values, written with the options' {@link Option#set}. */
    @SafeVarargs
    public static Map<String, Object> of(Map.Entry<String, Object>... values) {
        Map<String, Object> m = new TreeMap<>();
        for (Map.Entry<String, Object> e : values) {
            m.put(e.getKey(), e.getValue());
        }
        return m;
    }

    public boolean isEmpty() {
        return byName.isEmpty();
    }
}
