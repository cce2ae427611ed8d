package org.ternsweep.models;

import org.ternsweep.engine.Network;

/**
 * Called around every optimiser step of {@link Trainer}. QAT uses {@link #beforeStep} to set each
 * weight layer's effective weight to Q(W) from the current float weights (straight-through
 * estimator); the trainer's optimiser then updates the float weights with dL/dQ(W).
 */
public interface StepHook {
    /** A hook that does nothing. */
    StepHook NONE = new StepHook() {
        @Override
        public void beforeStep(Network net, long step) {
        }
    };

    /** Before the forward pass of step {@code step} (0-based, counted over the whole run). */
    void beforeStep(Network net, long step);

    /** After the optimiser updated the weights at step {@code step}. */
    default void afterStep(Network net, long step, double loss) {
    }
}
