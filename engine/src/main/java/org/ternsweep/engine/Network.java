package org.ternsweep.engine;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A feed-forward network as a sequence of {@link Stage}s, producing logits. Weight-layer names are
 * unique and stable (folding keeps them), so diagnostics and the DL4J bridge can key on them.
 *
 * <p>It runs on the {@link Engine} it is {@linkplain #bind bound} to; {@link #copy()} and
 * {@link #foldBatchNorm()} keep the binding. Not thread-safe (layers cache activations): give each thread
 * its own copy, and a copy bound to another engine where threads must not share one.
 */
public final class Network {
    private final String architecture;
    private final List<Stage> stages;

    public Network(String architecture, List<? extends Stage> stages) {
        if (architecture == null || architecture.isBlank()) {
            throw new IllegalArgumentException("network architecture name must not be blank");
        }
        if (stages == null || stages.isEmpty()) {
            throw new IllegalArgumentException("network " + architecture + " needs at least one stage");
        }
        this.architecture = architecture;
        this.stages = List.copyOf(stages);
        Set<String> names = new HashSet<>();
        for (Stage s : this.stages) {
            for (Layer l : s.layers()) {
                if (!names.add(l.name())) {
                    throw new IllegalArgumentException("network " + architecture + " has two layers named "
                            + l.name() + "; layer names must be unique");
                }
            }
        }
    }

    /** Architecture name, e.g. {@code cnn-small}. */
    public String architecture() {
        return architecture;
    }

    /** The stages in forward order (BrecQ's blocks). */
    public List<Stage> stages() {
        return stages;
    }

    /** Makes every layer run on {@code engine} from now on; returns this network. */
    public Network bind(Engine engine) {
        for (Stage s : stages) {
            s.bind(engine);
        }
        return this;
    }

    /** Logits for a batch {@code [N, 1, 28, 28]} → {@code [N, classes]}. */
    public Tensor forward(Tensor x, boolean training) {
        Tensor t = x;
        for (Stage s : stages) {
            t = s.forward(t, training);
        }
        return t;
    }

    /** Backward from dL/dlogits: accumulates every parameter's gradient, returns dL/dinput. */
    public Tensor backward(Tensor gradLogits) {
        return backward(gradLogits, true);
    }

    /**
     * Backward on heap tensors; with {@code inputGradient} false the first layer skips dL/dinput
     * (training needs only parameter gradients) and null is returned.
     */
    public Tensor backward(Tensor gradLogits, boolean inputGradient) {
        Tensor g = gradLogits;
        for (int i = stages.size() - 1; i >= 0; i--) {
            g = stages.get(i).backward(g, inputGradient || i > 0);
        }
        return g;
    }

    /** All trainable parameters in network order. */
    public List<Param> params() {
        List<Param> ps = new ArrayList<>();
        for (Stage s : stages) {
            ps.addAll(s.params());
        }
        return ps;
    }

    /** Resets every parameter gradient. */
    public void zeroGrad() {
        for (Param p : params()) {
            p.zeroGrad();
        }
    }

    /** All weight layers (conv and dense) in network order. */
    public List<WeightLayer> weightLayers() {
        List<WeightLayer> ws = new ArrayList<>();
        for (Stage s : stages) {
            ws.addAll(s.weightLayers());
        }
        return ws;
    }

    /** Every layer, flattened through residual blocks, in forward order. */
    public List<Layer> layers() {
        List<Layer> ls = new ArrayList<>();
        for (Stage s : stages) {
            ls.addAll(s.layers());
        }
        return ls;
    }

    /** The weight layer with this name. */
    public WeightLayer weightLayer(String name) {
        for (WeightLayer w : weightLayers()) {
            if (w.name().equals(name)) {
                return w;
            }
        }
        List<String> names = new ArrayList<>();
        for (WeightLayer w : weightLayers()) {
            names.add(w.name());
        }
        throw new IllegalArgumentException("network " + architecture + " has no weight layer " + name
                + "; it has " + names);
    }

    /** Whether any BatchNorm remains (false after {@link #foldBatchNorm()}). */
    public boolean hasBatchNorm() {
        for (Layer l : layers()) {
            if (l instanceof BatchNorm2d) {
                return true;
            }
        }
        return false;
    }

    /** Deep copy with fresh caches, bound to the same engine. */
    public Network copy() {
        List<Stage> cs = new ArrayList<>();
        for (Stage s : stages) {
            cs.add(s.copy());
        }
        return new Network(architecture, cs);
    }

    /**
     * A new network with every BatchNorm folded into its preceding conv (spec §3); same function in
     * inference mode, folded convs keep their names and gain a bias.
     */
    public Network foldBatchNorm() {
        List<Stage> fs = new ArrayList<>();
        for (Stage s : stages) {
            fs.add(s.foldBatchNorm());
        }
        return new Network(architecture, fs);
    }

    /** Number of trainable scalars (BatchNorm γ and β count, running statistics do not). */
    public long parameterCount() {
        long n = 0;
        for (Param p : params()) {
            n += p.length();
        }
        return n;
    }

    @Override
    public String toString() {
        List<String> names = new ArrayList<>();
        for (Stage s : stages) {
            names.add(s.name());
        }
        return "Network[" + architecture + " " + names + "]";
    }
}
