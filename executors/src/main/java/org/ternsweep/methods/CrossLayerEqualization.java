package org.ternsweep.methods;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ternsweep.engine.Flatten;
import org.ternsweep.engine.GraphStage;
import org.ternsweep.engine.Layer;
import org.ternsweep.engine.MaxPool2d;
import org.ternsweep.engine.Network;
import org.ternsweep.engine.ReLU;
import org.ternsweep.engine.ResidualBlock;
import org.ternsweep.engine.SequentialStage;
import org.ternsweep.engine.Stage;
import org.ternsweep.engine.WeightLayer;

/**
 * Cross-layer equalization (Nagel et al. 2019, "Data-Free Quantization Through Weight Equalization
 * and Bias Correction", §4.1; spec §4.1) on a BN-folded network: for consecutive weight layers joined
 * by ReLU (and max-pooling or flatten, which commute with positive per-channel scaling), each shared
 * channel i is rescaled by s_i = sqrt(r1_i · r2_i) / r2_i: W1 ← W1 / s, b1 ← b1 / s, W2 ← W2 · s, where
 * r1 is the range of W1's output channel and r2 the range of W2's input channel. The network computes
 * the same function afterwards; only the weight ranges move.
 *
 * <p>Pairs are never formed across a residual add or a fork (the shortcut would see the scaled channels), so in
 * a ResNet only the two convs inside a block are equalized; in an imported graph, the same rule reads its edges.
 */
public final class CrossLayerEqualization {
    private CrossLayerEqualization() {
    }

    /** Two weight layers joined by ReLU (and pooling or flatten) whose shared channels can be rescaled. */
    record Pair(WeightLayer first, WeightLayer second) {
    }

    /** Equalizes every eligible pair in place; returns, per second layer, the scales s applied to its input channels. */
    public static Map<String, double[]> apply(Network folded) {
        Map<String, double[]> scales = new LinkedHashMap<>();
        for (Pair p : pairs(folded)) {
            scales.put(p.second().name(), equalize(p.first(), p.second()));
        }
        return scales;
    }

    static List<Pair> pairs(Network net) {
        List<Pair> pairs = new ArrayList<>();
        WeightLayer pending = null;
        boolean sawRelu = false;
        for (Stage stage : net.stages()) {
            if (stage instanceof ResidualBlock block) {
                pairs.add(new Pair(block.conv1(), block.conv2()));
                pending = null;
                continue;
            }
            if (stage instanceof GraphStage graph) {
                pairs.addAll(pairs(graph));
                pending = null;
                continue;
            }
            if (!(stage instanceof SequentialStage)) {
                pending = null;
                continue;
            }
            for (Layer l : stage.layers()) {
                if (l instanceof WeightLayer w) {
                    if (pending != null && sawRelu) {
                        pairs.add(new Pair(pending, w));
                    }
                    pending = w;
                    sawRelu = false;
                } else if (l instanceof ReLU) {
                    sawRelu = pending != null;
                } else if (!(l instanceof MaxPool2d || l instanceof Flatten)) {
                    pending = null;
                    sawRelu = false;
                }
            }
        }
        return pairs;
    }

    /**
     * The pairs inside an imported block: a weight layer whose output reaches a second one through a ReLU (and
     * max-pooling or flatten) with no other reader on the way, so the scaled channels are seen by nothing else.
     */
    private static List<Pair> pairs(GraphStage graph) {
        List<Pair> pairs = new ArrayList<>();
        for (GraphStage.Node n : graph.nodes()) {
            if (!(n.layer() instanceof WeightLayer first)) {
                continue;
            }
            String t = n.output();
            boolean sawRelu = false;
            while (!t.equals(graph.output()) && graph.readersOf(t).size() == 1) {
                Layer next = graph.readersOf(t).get(0).layer();
                if (next instanceof WeightLayer second) {
                    if (sawRelu) {
                        pairs.add(new Pair(first, second));
                    }
                    break;
                }
                if (next instanceof ReLU) {
                    sawRelu = true;
                } else if (!(next instanceof MaxPool2d || next instanceof Flatten)) {
                    break;
                }
                t = graph.readersOf(t).get(0).output();
            }
        }
        return pairs;
    }

    private static double[] equalize(WeightLayer first, WeightLayer second) {
        int channels = ChannelMath.outChannels(first);
        int rows = ChannelMath.inRows(second);
        if (rows % channels != 0) {
            throw new IllegalStateException("cannot equalize " + first.name() + " → " + second.name() + ": "
                    + rows + " input rows are not a multiple of " + channels + " channels");
        }
        int perChannel = rows / channels;
        float[] w1 = ChannelMath.read(first);
        float[] w2 = ChannelMath.read(second);
        long[] s1 = ChannelMath.shape(first);
        long[] s2 = ChannelMath.shape(second);
        double[] r1 = new double[channels];
        double[] r2 = new double[channels];
        for (int i = 0; i < w1.length; i++) {
            int c = ChannelMath.outChannelOf(first, s1, i);
            r1[c] = Math.max(r1[c], Math.abs(w1[i]));
        }
        for (int i = 0; i < w2.length; i++) {
            int c = ChannelMath.inRowOf(second, s2, i) / perChannel;
            r2[c] = Math.max(r2[c], Math.abs(w2[i]));
        }
        double[] s = new double[channels];
        for (int c = 0; c < channels; c++) {
            // A dead channel (either range 0) is left alone: scaling it cannot help and would divide by 0.
            s[c] = r1[c] > 0 && r2[c] > 0 ? Math.sqrt(r1[c] * r2[c]) / r2[c] : 1.0;
        }
        for (int i = 0; i < w1.length; i++) {
            w1[i] = (float) (w1[i] / s[ChannelMath.outChannelOf(first, s1, i)]);
        }
        for (int i = 0; i < w2.length; i++) {
            w2[i] = (float) (w2[i] * s[ChannelMath.inRowOf(second, s2, i) / perChannel]);
        }
        ChannelMath.write(first, w1);
        ChannelMath.write(second, w2);
        if (first.bias() != null) {
            float[] b = first.bias().valueFloats();
            for (int c = 0; c < b.length; c++) {
                b[c] = (float) (b[c] / s[c]);
            }
        }
        return s;
    }
}
