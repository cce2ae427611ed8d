package org.ternsweep.methods;

import org.ternsweep.data.Dataset;
import org.ternsweep.engine.Network;

/**
 * What a method gets for one cell, besides its options (which it was created with).
 *
 * @param floatNetwork the trained float model as stored (with BatchNorm); methods must not modify it
 * @param plan         operator, granularity and first/last scheme
 * @param dataset      the dataset (calibration images come from its training split)
 * @param seed         the cell's seed: every random stream of the method derives from it (spec §5)
 */
public record MethodInput(Network floatNetwork, QuantPlan plan, Dataset dataset, long seed) {
    public MethodInput {
        if (floatNetwork == null || plan == null || dataset == null) {
            throw new IllegalArgumentException("a method needs the float network, the quantization plan and the"
                    + " dataset");
        }
    }
}
