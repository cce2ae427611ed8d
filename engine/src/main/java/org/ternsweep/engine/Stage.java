package org.ternsweep.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * A block of the network in BrecQ's sense (Li et al. 2021, "BRECQ", §3.2): a residual basic block is
 * one stage; every other weight layer together with its activation, pooling and flatten is its own
 * stage. Block reconstruction optimises all weight layers of one stage against the stage's output.
 */
public interface Stage {
    /** Stable name, e.g. {@code conv2} or {@code block2}. */
    String name();

    /** Forward pass on heap tensors. */
    Tensor forward(Tensor x, boolean training);

    /** Backward pass on heap tensors: dL/dx, parameter gradients accumulated. */
    Tensor backward(Tensor gradOut);

    /** Backward pass that may skip dL/dx (returns null then), as {@link Layer#backward(Tensor, boolean)}. */
    default Tensor backward(Tensor gradOut, boolean inputGradient) {
        return backward(gradOut);
    }

    /** Trainable parameters in a fixed order: those of {@link #layers()}, layer by layer. */
    default List<Param> params() {
        List<Param> ps = new ArrayList<>();
        for (Layer l : layers()) {
            ps.addAll(l.params());
        }
        return ps;
    }

    /** The stage's weight layers in forward order. */
    List<WeightLayer> weightLayers();

    /** The stage's layers in forward order (for a residual block: its sub-layers). */
    List<Layer> layers();

    /** Makes every layer of the stage run on {@code engine} from now on. */
    void bind(Engine engine);

    /** Deep copy with fresh caches and the same engine binding. */
    Stage copy();

    /** The same stage with every BatchNorm folded into its preceding conv (inference function unchanged). */
    Stage foldBatchNorm();
}
