package org.ternsweep.engine;

/**
 * The activation that directly follows a weight layer in the BN-folded network. AdaRound takes its
 * reconstruction loss after it (Nagel et al. 2020, "Up or Down?", §4: the loss is measured on the
 * layer's activated output).
 */
public enum Activation {
    /** Rectified linear unit follows the layer. */
    RELU,
    /** Nothing follows (e.g. the logits layer, or a conv whose output goes into a residual add). */
    IDENTITY;

    /** Applies the activation in place. */
    public void applyInPlace(float[] v) {
        if (this == RELU) {
            for (int i = 0; i < v.length; i++) {
                if (v[i] < 0f) {
                    v[i] = 0f;
                }
            }
        }
    }
}
