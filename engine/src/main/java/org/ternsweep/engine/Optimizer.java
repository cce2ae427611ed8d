package org.ternsweep.engine;

import java.util.List;

/** Updates a fixed list of {@link Param}s from their accumulated gradients. */
public interface Optimizer {
    /** One update step using the current gradients (does not reset them). */
    void step();

    /** The parameters this optimiser updates. */
    List<Param> params();

    /** Resets the gradients of all parameters. */
    default void zeroGrad() {
        for (Param p : params()) {
            p.zeroGrad();
        }
    }
}
