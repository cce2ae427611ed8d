package org.ternsweep.engine;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One differentiable operation with its parameters. Forward caches what backward needs; backward
 * returns dL/dx and accumulates dL/dθ into each {@link Param#grad()}.
 *
 * <p>The INDArray methods are the public contract; the {@link Tensor} methods are the same
 * computation without copies at the boundary, used by {@link Network} and hot loops. A layer is
 * not thread-safe (it caches activations); use {@link #copy()} for another thread.
 */
public abstract class Layer {
    private final String name;

    protected Layer(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("layer name must not be blank");
        }
        this.name = name;
    }

    /** Stable name used in diagnostics and parameter names (e.g. {@code block2.conv1}). */
    public String name() {
        return name;
    }

    /** Forward pass on an INDArray (copied in and out). */
    public final INDArray forward(INDArray x, boolean training) {
        return forward(Tensor.of(x), training).toINDArray();
    }

    /** Backward pass on an INDArray, using what the last forward cached. */
    public final INDArray backward(INDArray gradOut) {
        return backward(Tensor.of(gradOut)).toINDArray();
    }

    /**
     * Forward pass. {@code training} selects batch statistics for BatchNorm and makes the layer
     * cache what backward needs; inference-mode forwards also cache, so backward works after both.
     */
    public abstract Tensor forward(Tensor x, boolean training);

    /** Backward pass: returns dL/dx and accumulates parameter gradients. */
    public abstract Tensor backward(Tensor gradOut);

    /**
     * Backward pass that may skip dL/dx when {@code inputGradient} is false (the network's first layer
     * needs none); then it returns null. Parameter gradients are accumulated either way.
     */
    public Tensor backward(Tensor gradOut, boolean inputGradient) {
        return backward(gradOut);
    }

    /** Trainable parameters, in a fixed order. */
    public abstract List<Param> params();

    /** Deep copy of parameters (and running statistics), fresh caches. */
    public abstract Layer copy();

    static IllegalStateException noForward(String layer) {
        return new IllegalStateException("backward called on layer " + layer
                + " before any forward; run forward on the same batch first");
    }

    static void requireRank(Tensor x, int rank, String layer, String expected) {
        if (x.rank() != rank) {
            throw new IllegalArgumentException("layer " + layer + " expects " + expected + " but got " + x);
        }
    }
}
