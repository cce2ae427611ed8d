package org.ternsweep.quant;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ternsweep.catalog.OptionSpec;
import org.ternsweep.runner.Registry;

/**
 * Every operator of the registry with every combination of its choice and boolean option values (numbers at their
 * defaults), for the tests that must hold for any operator: one registered later is under them without a test edit.
 */
public final class RegisteredOperators {
    private RegisteredOperators() {
    }

    /** Every registered operator with every combination of its choice and boolean option values. */
    public static List<TernaryOperator> everyCombination() {
        List<TernaryOperator> out = new ArrayList<>();
        for (Registry.Entry<?, TernaryOperator> e : Registry.operators()) {
            List<Map<String, Object>> combos = new ArrayList<>(List.of(Map.of()));
            for (OptionSpec o : e.spec().options()) {
                List<Object> values = values(o);
                if (values.isEmpty()) {
                    continue;
                }
                List<Map<String, Object>> next = new ArrayList<>();
                for (Map<String, Object> partial : combos) {
                    for (Object v : values) {
                        Map<String, Object> m = new LinkedHashMap<>(partial);
                        m.put(o.name(), v);
                        next.add(m);
                    }
                }
                combos = next;
            }
            combos.forEach(options -> out.add(e.create(options)));
        }
        return out;
    }

    private static List<Object> values(OptionSpec o) {
        return switch (o.type()) {
            case CHOICE, BOOL_OR_CHOICE -> new ArrayList<>(o.allowed());
            case BOOL -> List.of(true, false);
            case INT, DOUBLE -> List.of();
        };
    }
}
