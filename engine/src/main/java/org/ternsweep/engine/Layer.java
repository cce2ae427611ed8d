package org.ternsweep.engine;

import java.util.List;

/**
 * One differentiable operation with its parameters. Forward caches what backward needs; backward
 * returns dL/dx and accumulates dL/dθ into each {@link Param#gradFloats()}.
 *
 * <p>A layer runs on the {@link Engine} it is bound to ({@link #bind}, usually through
 * {@link Network#bind}); copies keep the binding. A layer is not thread-safe (it caches activations):
 * use {@link #copy()} for another thread.
 */
public abstract class Layer {
    private final String name;
    private Engine engine;

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

    /** Makes this layer (and the layers inside it) run on {@code engine} from now on. */
    public void bind(Engine engine) {
        if (engine == null) {
            throw new IllegalArgumentException("layer " + name + " needs an engine to bind to, not null");
        }
        this.engine = engine;
    }

    /** The engine this layer is bound to, or null when it is not bound. */
    public Engine boundEngine() {
        return engine;
    }

    /**
     * The engine to run on.
     *
     * @throws IllegalStateException if the layer is not bound
     */
    protected final Engine engine() {
        if (engine == null) {
            throw new IllegalStateException("layer " + name + " is not bound to an engine; bind its network"
                    + " (Network.bind) or the layer (Layer.bind) to an Engine first");
        }
        return engine;
    }

    /** Gives this layer the binding of {@code source} (for copies). */
    final void bindLike(Layer source) {
        this.engine = source.engine;
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

    /** Deep copy of parameters (and running statistics), fresh caches, the same engine binding. */
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
