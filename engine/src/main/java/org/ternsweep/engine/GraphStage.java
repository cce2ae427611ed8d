package org.ternsweep.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A directed acyclic graph of layers as one {@link Stage}: each {@link Node} reads named tensors and writes
 * one, so a tensor may feed several nodes (fan-out) and an {@linkplain Node#add add} node joins two (residual
 * connections, projection shortcuts). This is how an imported network of arbitrary shape runs; the zoo's
 * sequential stages and residual blocks stay as they are.
 *
 * <p>Nodes are given in a topological order (every input is the graph's input or an earlier node's output),
 * every tensor but the output is read by some node, and each layer instance appears once. Forward runs the
 * nodes in order; backward runs them in reverse, summing the gradients of a tensor that feeds several nodes
 * in reverse node order, so results are deterministic.
 */
public final class GraphStage implements Stage {
    private final String name;
    private final String input;
    private final String output;
    private final List<Node> nodes;

    /**
     * One node: {@code layer} applied to the tensor {@code inputs[0]}, or (with {@code layer} null) the
     * element-wise sum of the two tensors {@code inputs}, written to the tensor {@code output}.
     */
    public record Node(String output, Layer layer, List<String> inputs) {
        public Node {
            if (output == null || output.isBlank() || inputs == null || inputs.isEmpty()) {
                throw new IllegalArgumentException("a graph node needs an output name and inputs");
            }
            inputs = List.copyOf(inputs);
            if (inputs.size() != (layer == null ? 2 : 1)) {
                throw new IllegalArgumentException("graph node " + output + ": " + (layer == null
                        ? "an add reads two tensors" : "layer " + layer.name() + " reads one tensor") + ", got "
                        + inputs);
            }
        }

        /** {@code output = layer(input)}. */
        public static Node layer(String output, Layer layer, String input) {
            if (layer == null) {
                throw new IllegalArgumentException("graph node " + output + " needs a layer, not null");
            }
            return new Node(output, layer, List.of(input));
        }

        /** {@code output = a + b}, element-wise, for tensors of the same shape. */
        public static Node add(String output, String a, String b) {
            return new Node(output, null, List.of(a, b));
        }

        /** Whether this node adds two tensors. */
        public boolean isAdd() {
            return layer == null;
        }
    }

    /**
     * A graph reading the tensor {@code input} and producing the tensor {@code output}.
     *
     * @throws IllegalArgumentException naming the node and tensor if the nodes are not in topological order,
     *                                  a tensor is written twice or read by no node, or a layer (or layer
     *                                  name) appears twice
     */
    public GraphStage(String name, String input, String output, List<Node> nodes) {
        if (name == null || name.isBlank() || input == null || input.isBlank() || output == null
                || output.isBlank()) {
            throw new IllegalArgumentException("graph stage needs a name, an input and an output tensor name");
        }
        if (nodes == null || nodes.isEmpty()) {
            throw new IllegalArgumentException("graph stage " + name + " needs at least one node");
        }
        this.name = name;
        this.input = input;
        this.output = output;
        this.nodes = List.copyOf(nodes);
        Set<String> defined = new HashSet<>(List.of(input));
        Set<String> read = new HashSet<>();
        Set<String> layerNames = new HashSet<>();
        Map<Layer, Boolean> layers = new IdentityHashMap<>();
        for (Node n : this.nodes) {
            for (String in : n.inputs()) {
                if (!defined.contains(in)) {
                    throw new IllegalArgumentException("graph stage " + name + ": node " + n.output() + " reads "
                            + in + ", which is neither the input nor written by an earlier node");
                }
                read.add(in);
            }
            if (!defined.add(n.output())) {
                throw new IllegalArgumentException("graph stage " + name + ": tensor " + n.output()
                        + " is written twice");
            }
            if (n.layer() != null && (layers.put(n.layer(), true) != null || !layerNames.add(n.layer().name()))) {
                throw new IllegalArgumentException("graph stage " + name + ": layer " + n.layer().name()
                        + " appears twice; each node needs its own layer");
            }
        }
        if (!defined.contains(output)) {
            throw new IllegalArgumentException("graph stage " + name + ": no node writes the output " + output);
        }
        for (String t : defined) {
            if (!t.equals(output) && !read.contains(t)) {
                throw new IllegalArgumentException("graph stage " + name + ": tensor " + t
                        + " is read by no node and is not the output");
            }
        }
    }

    @Override
    public String name() {
        return name;
    }

    /** The name of the tensor the graph reads. */
    public String input() {
        return input;
    }

    /** The name of the tensor the graph produces. */
    public String output() {
        return output;
    }

    /** The nodes in forward order. */
    public List<Node> nodes() {
        return nodes;
    }

    /** The node that writes {@code tensor}, or null for the graph's input (or a tensor the graph does not have). */
    public Node writerOf(String tensor) {
        for (Node n : nodes) {
            if (n.output().equals(tensor)) {
                return n;
            }
        }
        return null;
    }

    /** The nodes that read {@code tensor}, in forward order (an add reading it twice is listed twice). */
    public List<Node> readersOf(String tensor) {
        List<Node> out = new ArrayList<>();
        for (Node n : nodes) {
            for (String in : n.inputs()) {
                if (in.equals(tensor)) {
                    out.add(n);
                }
            }
        }
        return out;
    }

    /**
     * Each BatchNorm that {@link #foldBatchNorm()} folds, by the conv it folds into: a BatchNorm reading the output
     * of a conv that nothing else reads. In node order.
     */
    public Map<Conv2d, BatchNorm2d> batchNormPairs() {
        Map<Conv2d, BatchNorm2d> out = new LinkedHashMap<>();
        for (Node n : nodes) {
            if (n.layer() instanceof BatchNorm2d bn) {
                String in = n.inputs().get(0);
                Node before = writerOf(in);
                if (before != null && before.layer() instanceof Conv2d c && readersOf(in).size() == 1) {
                    out.put(c, bn);
                }
            }
        }
        return out;
    }

    @Override
    public void bind(Engine engine) {
        for (Layer l : layers()) {
            l.bind(engine);
        }
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        Map<String, Tensor> values = new HashMap<>();
        values.put(input, x);
        for (Node n : nodes) {
            Tensor y = n.isAdd() ? add(n, values.get(n.inputs().get(0)), values.get(n.inputs().get(1)))
                    : n.layer().forward(values.get(n.inputs().get(0)), training);
            values.put(n.output(), y);
        }
        return values.get(output);
    }

    private Tensor add(Node n, Tensor a, Tensor b) {
        if (!Arrays.equals(a.shape(), b.shape())) {
            throw new IllegalArgumentException("graph stage " + name + ": add " + n.output() + " needs two tensors"
                    + " of the same shape, got " + n.inputs().get(0) + " " + a + " and " + n.inputs().get(1) + " "
                    + b);
        }
        return new Tensor(sum(a.data(), b.data()), a.shape());
    }

    private static float[] sum(float[] a, float[] b) {
        float[] s = new float[a.length];
        for (int i = 0; i < s.length; i++) {
            s[i] = a[i] + b[i];
        }
        return s;
    }

    /** Adds {@code g} to the gradient of tensor {@code t}; gradients are never modified in place (shared). */
    private static void accumulate(Map<String, Tensor> grads, String t, Tensor g) {
        Tensor have = grads.get(t);
        grads.put(t, have == null ? g : new Tensor(sum(have.data(), g.data()), g.shape()));
    }

    @Override
    public Tensor backward(Tensor gradOut) {
        return backward(gradOut, true);
    }

    @Override
    public Tensor backward(Tensor gradOut, boolean inputGradient) {
        Map<String, Tensor> grads = new HashMap<>();
        grads.put(output, gradOut);
        for (int i = nodes.size() - 1; i >= 0; i--) {
            Node n = nodes.get(i);
            Tensor g = grads.remove(n.output());
            if (n.isAdd()) {
                for (String in : n.inputs()) {
                    if (inputGradient || !in.equals(input)) {
                        accumulate(grads, in, g);
                    }
                }
            } else {
                String in = n.inputs().get(0);
                boolean needed = inputGradient || !in.equals(input);
                Tensor dx = n.layer().backward(g, needed);
                if (needed) {
                    accumulate(grads, in, dx);
                }
            }
        }
        return inputGradient ? grads.get(input) : null;
    }

    @Override
    public List<WeightLayer> weightLayers() {
        List<WeightLayer> ws = new ArrayList<>();
        for (Layer l : layers()) {
            if (l instanceof WeightLayer w) {
                ws.add(w);
            }
        }
        return ws;
    }

    @Override
    public List<Layer> layers() {
        List<Layer> ls = new ArrayList<>();
        for (Node n : nodes) {
            if (n.layer() != null) {
                ls.add(n.layer());
            }
        }
        return Collections.unmodifiableList(ls);
    }

    @Override
    public GraphStage copy() {
        List<Node> cs = new ArrayList<>();
        for (Node n : nodes) {
            cs.add(n.isAdd() ? n : Node.layer(n.output(), n.layer().copy(), n.inputs().get(0)));
        }
        return new GraphStage(name, input, output, cs);
    }

    /**
     * The same graph with every BatchNorm whose input is a conv's output read by nothing else folded into
     * that conv, which then writes the BatchNorm's output tensor.
     *
     * @throws IllegalStateException naming the BatchNorm if one does not directly follow such a conv
     */
    @Override
    public GraphStage foldBatchNorm() {
        Map<Conv2d, BatchNorm2d> pairs = batchNormPairs();
        Map<Node, Node> foldedInto = new IdentityHashMap<>();
        for (Node n : nodes) {
            if (n.layer() instanceof BatchNorm2d bn) {
                Node before = writerOf(n.inputs().get(0));
                if (before == null || !(before.layer() instanceof Conv2d c) || pairs.get(c) != bn) {
                    throw new IllegalStateException("graph stage " + name + ": BatchNorm " + bn.name()
                            + " does not follow a conv whose output it alone reads, so it cannot be folded");
                }
                foldedInto.put(before, Node.layer(n.output(), BatchNormFolding.fold(c, bn), before.inputs().get(0)));
            }
        }
        List<Node> out = new ArrayList<>();
        for (Node n : nodes) {
            if (foldedInto.containsKey(n)) {
                out.add(foldedInto.get(n));
            } else if (!(n.layer() instanceof BatchNorm2d)) {
                out.add(n.isAdd() ? n : Node.layer(n.output(), n.layer().copy(), n.inputs().get(0)));
            }
        }
        return new GraphStage(name, input, output, out);
    }

    @Override
    public String toString() {
        return "GraphStage[" + name + ", " + nodes.size() + " nodes]";
    }
}
