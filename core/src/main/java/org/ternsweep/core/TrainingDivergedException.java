package org.ternsweep.core;

import java.util.List;

/**
 * A training loop diverged: its loss became NaN or infinite, or rose far above where it started (the rule is
 * {@code Trainer}'s, docs/results-schema.md "Status and errors"). It keeps the training curve of the epochs that
 * finished, so that the FAILED cell's row shows how the loss ran away ({@link CellResult#failed}).
 */
public class TrainingDivergedException extends NumericalFailureException {
    private static final long serialVersionUID = 1L;

    /** The completed epochs; an immutable list of serializable points. */
    private final List<EpochStat> curve;

    /**
     * @param message the divergence error, with "diverged" and what to lower
     * @param curve   the epochs completed before training stopped (may be empty)
     * @param cause   the failure of the training loop this adds the curve to
     */
    public TrainingDivergedException(String message, List<EpochStat> curve, Throwable cause) {
        super(message);
        this.curve = List.copyOf(curve);
        initCause(cause);
    }

    /** The training curve up to the divergence. */
    public List<EpochStat> curve() {
        return curve;
    }
}
