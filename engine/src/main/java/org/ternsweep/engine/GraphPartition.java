package org.ternsweep.engine;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Cuts a {@link GraphStage} into the stages the methods work on (BrecQ's blocks, Li et al. 2021, §3.2): a
 * residual block — the part of the graph between a fork and the add that joins it — is one {@link GraphStage};
 * every other weight layer, with the activations, normalisation, pooling and flatten that follow it, is one
 * {@link SequentialStage}, exactly as the zoo's networks are built. The stages compute the same function as the
 * graph, forward and backward.
 *
 * <p>A graph is cut after a node when that node's output is the only tensor still needed by the rest of the graph
 * (every path from the input to the output runs through it). Runs of single nodes between cuts form a chain; the
 * part between two cuts that holds more than one node (a fork and its join) is a block. As in the zoo, the
 * activation after a block (the ReLU after the residual add) joins the block, while pooling and flatten after a
 * block join the next weight layer's stage (the zoo's classifier stage begins with its global pooling); layers after
 * a weight layer join its stage, and layers before the first weight layer (an input normalisation) the first one.
 */
public final class GraphPartition {
    private GraphPartition() {
    }

    /** The stages of {@code graph}, in forward order; the graph itself when it has no weight layer and no block. */
    public static List<Stage> stages(GraphStage graph) {
        List<GraphStage.Node> nodes = graph.nodes();
        Map<String, Integer> lastRead = new HashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            for (String in : nodes.get(i).inputs()) {
                lastRead.put(in, i);
            }
        }
        // segments: runs of nodes between two cuts, each with the tensor it reads
        List<List<GraphStage.Node>> segments = new ArrayList<>();
        List<String> segmentInputs = new ArrayList<>();
        Set<String> live = new HashSet<>(List.of(graph.input()));
        List<GraphStage.Node> current = new ArrayList<>();
        String currentInput = graph.input();
        for (int i = 0; i < nodes.size(); i++) {
            GraphStage.Node n = nodes.get(i);
            current.add(n);
            live.add(n.output());
            final int at = i;
            live.removeIf(t -> !t.equals(graph.output()) && lastRead.getOrDefault(t, -1) <= at);
            if (live.size() == 1 && live.contains(n.output())) {
                segments.add(current);
                segmentInputs.add(currentInput);
                current = new ArrayList<>();
                currentInput = n.output();
            }
        }
        if (!current.isEmpty()) {
            segments.add(current);
            segmentInputs.add(currentInput);
        }

        List<Unit> units = new ArrayList<>();
        List<GraphStage.Node> pending = new ArrayList<>(); // layers waiting for the next weight layer's stage
        boolean afterBlock = false;
        for (int s = 0; s < segments.size(); s++) {
            List<GraphStage.Node> seg = segments.get(s);
            // an add of a tensor to itself is a segment of one node, but not a layer a sequential stage can hold
            boolean block = seg.size() > 1 || seg.get(0).isAdd();
            if (block || seg.get(0).layer() instanceof WeightLayer) {
                Unit u = new Unit(block, pending.isEmpty() ? segmentInputs.get(s) : pending.get(0).inputs().get(0));
                u.nodes.addAll(pending);
                u.nodes.addAll(seg);
                pending.clear();
                units.add(u);
                afterBlock = block;
            } else if (units.isEmpty() || !pending.isEmpty() || afterBlock && !isActivation(seg.get(0).layer())) {
                pending.add(seg.get(0));
            } else {
                units.get(units.size() - 1).nodes.add(seg.get(0));
            }
        }
        if (units.isEmpty()) {
            // no weight layer and no block: nothing to split
            return List.of(graph);
        }
        units.get(units.size() - 1).nodes.addAll(pending);

        List<Stage> stages = new ArrayList<>();
        int blocks = 0;
        for (Unit u : units) {
            if (u.block) {
                blocks++;
                String out = u.nodes.get(u.nodes.size() - 1).output();
                stages.add(new GraphStage("block" + blocks, u.input, out, u.nodes));
            } else {
                List<Layer> layers = new ArrayList<>();
                String name = null;
                for (GraphStage.Node n : u.nodes) {
                    layers.add(n.layer());
                    if (name == null && n.layer() instanceof WeightLayer w) {
                        name = w.name();
                    }
                }
                stages.add(new SequentialStage(name, layers));
            }
        }
        return stages;
    }

    private static boolean isActivation(Layer layer) {
        return layer instanceof ReLU || layer instanceof Clip;
    }

    /** A stage being assembled: its nodes in forward order and the tensor it reads. */
    private static final class Unit {
        final boolean block;
        final String input;
        final List<GraphStage.Node> nodes = new ArrayList<>();

        Unit(boolean block, String input) {
            this.block = block;
            this.input = input;
        }
    }
}
