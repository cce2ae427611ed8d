package org.ternsweep.catalog;

import org.ternsweep.core.BadInputException;

/** A bad option in a sweep: names the component, the key, the value given and what is allowed. */
public final class OptionException extends BadInputException {
    private final String component;
    private final String key;
    private final transient Object value;
    private final String allowed;

    public OptionException(String component, String key, Object value, String allowed) {
        this(component, key, value, allowed, false);
    }

    public OptionException(String component, String key, Object value, String allowed, boolean unknownKey) {
        super(unknownKey
                ? "unknown option '" + key + "' for '" + component + "'; allowed: " + allowed
                : "option '" + key + "' of '" + component + "' has value '" + value + "'; allowed: " + allowed);
        this.component = component;
        this.key = key;
        this.value = value;
        this.allowed = allowed;
    }

    public String component() {
        return component;
    }

    public String key() {
        return key;
    }

    public Object value() {
        return value;
    }

    public String allowed() {
        return allowed;
    }
}
