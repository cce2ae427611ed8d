package org.ternsweep.quant;

import java.util.Map;
import org.ternsweep.catalog.Catalog;
import org.ternsweep.catalog.ComponentSpec;

/**
 * Builds a {@link TernaryOperator} from its catalog name and options ({@link Catalog#operators()}): the one
 * place that turns a cell's operator settings into code.
 */
public final class Operators {
    private Operators() {
    }

    /**
     * Creates the operator.
     *
     * @param name            native, tquant or mquant
     * @param resolvedOptions the options as {@link ComponentSpec#resolve} returns them; they are resolved again
     *                        here (idempotent), so missing options take their catalog defaults and a bad
     *                        option fails with the catalog's message
     * @throws IllegalArgumentException for an unknown operator name
     * @throws org.ternsweep.catalog.OptionException for an unknown option or a value that is not allowed
     */
    public static TernaryOperator create(String name, Map<String, Object> resolvedOptions) {
        ComponentSpec spec = Catalog.operators().get(name);
        if (spec == null) {
            throw new IllegalArgumentException("operator '" + name + "' is not known: use one of "
                    + String.join(", ", Catalog.operators().keySet()));
        }
        Map<String, Object> options = spec.resolve(resolvedOptions);
        return switch (name) {
            case NativeOperator.NAME -> new NativeOperator();
            case TQuantOperator.NAME -> new TQuantOperator();
            case MQuantOperator.NAME -> new MQuantOperator(
                    MQuantOperator.Level.fromName(String.valueOf(options.get("level"))),
                    (Boolean) options.getOrDefault("symmetric", Boolean.TRUE));
            default -> throw new IllegalStateException("operator '" + name
                    + "' is in the catalog but has no implementation in org.ternsweep.quant.Operators");
        };
    }
}
