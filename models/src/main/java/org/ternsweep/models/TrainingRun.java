package org.ternsweep.models;

import org.ternsweep.core.SeedPurpose;

/**
 * What sets one use of {@link Trainer}'s loop apart from another that shares it (the float baselines, QAT): the
 * purpose its per-epoch shuffles are drawn with (spec §5, part of the numerical contract) and what its divergence
 * error says.
 *
 * @param name   what is running, as the error names it: "{@code <name> of <architecture> diverged at ...}"
 * @param order  the per-epoch shuffle purposes
 * @param advice what to change when the loss is no longer finite
 */
public record TrainingRun(String name, SeedPurpose.EpochOrder order, String advice) {
    /** Float-baseline training (spec §7). */
    public static final TrainingRun FLOAT_BASELINE = new TrainingRun("training", SeedPurpose.FLOAT_TRAINING_ORDER,
            "lower the learning rate or check the input scaling");

    public TrainingRun {
        if (name == null || name.isBlank() || order == null || advice == null || advice.isBlank()) {
            throw new IllegalArgumentException("a training run needs a name, an epoch order and a divergence advice");
        }
    }
}
