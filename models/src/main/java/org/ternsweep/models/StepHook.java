package org.ternsweep.models;

import org.ternsweep.engine.Network;

/**
 * Called at fixed points of every step of {@link Trainer}'s loop. QAT uses it: {@link #beforeStep} sets each weight
 * layer's effective weight to Q(W) from the current float weights, so forward and backward see Q(W) and the float
 * weights receive dL/dQ(W) (the straight-through estimator); {@link #afterBackward} cancels, for the clipped STE,
 * the gradients of weights where Q saturates, before the optimiser uses them.
 */
public interface StepHook {
    /** A hook that does nothing. */
    StepHook NONE = new StepHook() {
    };

    /**
     * Before the gradients are zeroed and the forward pass of step {@code step}.
     *
     * @param epoch the step's epoch, 1-based
     * @param step  0-based, counted over the whole run
     */
    default void beforeStep(Network net, int epoch, long step) {
    }

    /** After backward wrote the gradients of step {@code step}, before the optimiser reads them. */
    default void afterBackward(Network net, long step) {
    }

    /** After the optimiser updated the weights at step {@code step}; {@code loss} is the batch's mean loss. */
    default void afterStep(Network net, long step, double loss) {
    }
}
