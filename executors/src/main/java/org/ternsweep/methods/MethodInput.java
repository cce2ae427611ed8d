package org.ternsweep.methods;

import java.util.Map;
import org.ternsweep.data.Dataset;
import org.ternsweep.engine.Network;

/**
 * What a method gets for one cell.
 *
 * @param floatNetwork the trained float model as stored (with BatchNorm); methods must not modify it
 * @param plan         operator, granularity and first/last scheme
 * @param dataset      the dataset (calibration images come from its training split)
 * @param options      the method's resolved options (every key present, see Catalog)
 * @param seed         the cell's seed: every random stream of the method derives from it (spec §5)
 */
public record MethodInput(Network floatNetwork, QuantPlan plan, Dataset dataset, Map<String, Object> options, long seed) {

    public long longOption(String key) {
        return ((Number) require(key)).longValue();
    }

    public double doubleOption(String key) {
        return ((Number) require(key)).doubleValue();
    }

    public boolean boolOption(String key) {
        return (Boolean) require(key);
    }

    public String stringOption(String key) {
        return String.valueOf(require(key));
    }

    private Object require(String key) {
        Object v = options.get(key);
        if (v == null) {
            throw new IllegalArgumentException("method option '" + key + "' is missing; options must be resolved"
                    + " through the Catalog before a cell runs (got " + options.keySet() + ")");
        }
        return v;
    }
}
