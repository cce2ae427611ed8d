package org.ternsweep.methods;

import java.util.List;
import org.ternsweep.engine.Activation;
import org.ternsweep.engine.Stage;
import org.ternsweep.engine.Tensor;
import org.ternsweep.engine.WeightLayer;

/**
 * What one reconstruction optimises against its float target: a single weight layer followed by its
 * activation (AdaRound, Nagel et al. 2020) or a whole stage (BrecQ's block, Li et al. 2021). Forward
 * and backward run on the engine's layers, which use the soft weights set as effective weights.
 */
interface ReconstructionBlock {
    /** The block's name for messages, e.g. {@code layer conv1} or {@code block block2}. */
    String description();

    /** The output on a batch (must not be modified by the caller). */
    Tensor forward(Tensor x);

    /**
     * Backward from dLoss/doutput of the last forward; fills the weight layers' gradients. The block's
     * input is fixed calibration data, so no dL/dinput is computed (the first layer skips that product).
     */
    void backward(Tensor gradOut);

    /** A weight layer followed by its activation {@code f}: output {@code f(W̃x + b)}. */
    static ReconstructionBlock layer(WeightLayer layer) {
        return new ReconstructionBlock() {
            private float[] activated;

            @Override
            public String description() {
                return "layer " + layer.name();
            }

            @Override
            public Tensor forward(Tensor x) {
                Tensor y = layer.forward(x, false);
                if (layer.activation() == Activation.RELU) {
                    // branch-free (half the pre-activations are negative, a branch mispredicts half the time);
                    // max turns −0 into +0, which neither the loss nor the mask below can tell apart
                    float[] v = y.data();
                    for (int i = 0; i < v.length; i++) {
                        v[i] = Math.max(v[i], 0f);
                    }
                }
                activated = y.data();
                return y;
            }

            @Override
            public void backward(Tensor gradOut) {
                if (layer.activation() == Activation.RELU) {
                    float[] g = gradOut.data();
                    // g = activated > 0 ? g : +0, branch-free: activated is max(pre, 0), so never −0, and its
                    // bits are 0 exactly where it is +0 and positive where it is > 0 (or NaN, which keeps g as
                    // a branch on "activated <= 0" would); −bits >> 31 is then all ones or zero
                    for (int i = 0; i < g.length; i++) {
                        int keep = -Float.floatToRawIntBits(activated[i]) >> 31;
                        g[i] = Float.intBitsToFloat(Float.floatToRawIntBits(g[i]) & keep);
                    }
                }
                layer.backward(gradOut, false);
            }
        };
    }

    /** A whole stage: a residual block, or a weight layer with its activation, pooling and flatten. */
    static ReconstructionBlock stage(Stage stage) {
        return new ReconstructionBlock() {
            @Override
            public String description() {
                return "block " + stage.name();
            }

            @Override
            public Tensor forward(Tensor x) {
                return stage.forward(x, false);
            }

            @Override
            public void backward(Tensor gradOut) {
                stage.backward(gradOut, false);
            }
        };
    }

    /** Zeroes the gradients the block fills (a fill of each parameter's heap gradient, no ND4J op). */
    static void zeroGrad(List<WeightLayer> layers) {
        for (WeightLayer l : layers) {
            l.weight().zeroGrad();
            if (l.bias() != null) {
                l.bias().zeroGrad();
            }
        }
    }
}
