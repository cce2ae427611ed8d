package org.ternsweep.core;

/**
 * A computation left the finite range: a training or reconstruction loss, a weight or a logit became NaN or
 * infinite. The message names where (layer, epoch, step, iteration) and which setting to change. Inside a cell it
 * makes the cell FAILED, and the run exits with 1 like for any FAILED cell.
 */
public class NumericalFailureException extends TernsweepException {
    private static final long serialVersionUID = 1L;

    public NumericalFailureException(String message) {
        super(message);
    }
}
