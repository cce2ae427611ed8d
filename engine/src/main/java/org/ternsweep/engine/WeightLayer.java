package org.ternsweep.engine;

/**
 * A layer with a weight tensor that quantization acts on: {@link Conv2d} and {@link Dense}.
 *
 * <p>The effective-weight hook serves both QAT and AdaRound: while an effective weight is set,
 * forward uses it in place of the weight's value and backward writes dL/d(effective weight)
 * into the weight's gradient. QAT sets Q(W) and lets the gradient pass straight through
 * (Bengio et al. 2013, straight-through estimator); AdaRound sets the soft weight W̃ and chains
 * dL/dW̃ into dL/dV itself (Nagel et al. 2020).
 */
public abstract class WeightLayer extends Layer {
    private final Activation activation;
    private float[] effective;

    protected WeightLayer(String name, Activation activation) {
        super(name);
        if (activation == null) {
            throw new IllegalArgumentException("layer " + name + " needs an activation (RELU or IDENTITY)");
        }
        this.activation = activation;
    }

    /** The weight parameter (conv {@code [out, in, kh, kw]}, dense {@code [nIn, nOut]}). */
    public abstract Param weight();

    /** The bias parameter, 1-D {@code [out]}, or null when the layer has none. */
    public abstract Param bias();

    /** The axis of the weight that indexes output channels: 0 for conv, 1 for dense. */
    public abstract int outputAxis();

    /** The activation that follows this layer in the BN-folded network. */
    public Activation activation() {
        return activation;
    }

    /** The input cached by the last forward, shared (do not modify). */
    public abstract Tensor lastInputTensor();

    /**
     * Makes forward use {@code w} (C order, the weight's length; shared, not copied) instead of the weight's
     * value.
     */
    public void setEffectiveWeight(float[] w) {
        if (w == null || w.length != weight().length()) {
            throw new IllegalArgumentException("effective weight for " + name() + " must have "
                    + weight().length() + " values");
        }
        this.effective = w;
    }

    /** Returns forward to the weight's own value. */
    public void clearEffectiveWeight() {
        this.effective = null;
    }

    /** Whether an effective weight is set. */
    public boolean hasEffectiveWeight() {
        return effective != null;
    }

    /** The weight values forward should use now (C order, shared: read only). */
    protected float[] currentWeight() {
        return effective != null ? effective : weight().valueFloats();
    }

    /** The bias values (shared: read only), or null. */
    protected float[] currentBias() {
        return bias() == null ? null : bias().valueFloats();
    }
}
