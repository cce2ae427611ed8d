package org.ternsweep.methods;

import java.util.HashMap;
import java.util.Map;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.ternsweep.engine.BatchNorm2d;
import org.ternsweep.engine.GraphStage;
import org.ternsweep.engine.Layer;
import org.ternsweep.engine.Network;
import org.ternsweep.engine.ReLU;
import org.ternsweep.engine.ResidualBlock;
import org.ternsweep.engine.SequentialStage;
import org.ternsweep.engine.Stage;
import org.ternsweep.engine.WeightLayer;
import org.ternsweep.models.Nd4jArrays;

/**
 * Data-free bias correction (Nagel et al. 2019, §4.2; spec §4.1). For a layer whose input is
 * ReLU(BN(·)), the pre-activation of input channel c is modelled as N(β_c, γ_c²), so
 * E[x_c] = |γ_c|·φ(β_c/|γ_c|) + β_c·Φ(β_c/|γ_c|); the expected output error of the quantized weight,
 * (Q(W) − W)·E[x], is then subtracted from the bias. Layers whose input is not ReLU(BN) — the first
 * layer, layers after pooling of BN-free networks such as cnn-small, layers after a residual add, and layers after
 * a ReLU6 or a BN already folded into its conv by the exporter — have no data-free estimate of E[x] and are left
 * unchanged (reported by {@link #eligible}). In an imported graph the same rule reads the graph's edges.
 */
public final class BiasCorrection {
    private static final NormalDistribution STANDARD_NORMAL = new NormalDistribution(null, 0, 1);

    private BiasCorrection() {
    }

    /** For each weight layer (by name) whose input is ReLU(BN), that BN — read from the unfolded network. */
    public static Map<String, BatchNorm2d> eligible(Network unfolded) {
        Map<String, BatchNorm2d> out = new HashMap<>();
        BatchNorm2d incoming = null; // non-null while the current activation is ReLU(incoming(·))
        for (Stage stage : unfolded.stages()) {
            if (stage instanceof ResidualBlock block) {
                if (incoming != null) {
                    out.put(block.conv1().name(), incoming);
                    if (block.shortcut() != null) {
                        out.put(block.shortcut().name(), incoming);
                    }
                }
                if (block.bn1() != null) {
                    out.put(block.conv2().name(), block.bn1());
                }
                incoming = null; // ReLU of a sum: not a single BN
                continue;
            }
            if (stage instanceof GraphStage graph) {
                for (GraphStage.Node n : graph.nodes()) {
                    if (n.layer() instanceof WeightLayer w) {
                        String in = n.inputs().get(0);
                        BatchNorm2d bn = in.equals(graph.input()) ? incoming : reluOfBatchNorm(graph, in);
                        if (bn != null) {
                            out.put(w.name(), bn);
                        }
                    }
                }
                incoming = reluOfBatchNorm(graph, graph.output());
                continue;
            }
            if (!(stage instanceof SequentialStage)) {
                incoming = null;
                continue;
            }
            BatchNorm2d pending = null;
            for (Layer l : stage.layers()) {
                if (l instanceof WeightLayer w) {
                    if (incoming != null) {
                        out.put(w.name(), incoming);
                    }
                    incoming = null;
                    pending = null;
                } else if (l instanceof BatchNorm2d bn) {
                    pending = bn;
                    incoming = null;
                } else if (l instanceof ReLU && pending != null) {
                    incoming = pending;
                    pending = null;
                } else {
                    incoming = null;
                    pending = null;
                }
            }
        }
        return out;
    }

    /** The BN when a ReLU node of {@code graph} writes {@code tensor} from what a BN node writes, else null. */
    private static BatchNorm2d reluOfBatchNorm(GraphStage graph, String tensor) {
        GraphStage.Node relu = graph.writerOf(tensor);
        if (relu == null || !(relu.layer() instanceof ReLU)) {
            return null;
        }
        GraphStage.Node bn = graph.writerOf(relu.inputs().get(0));
        return bn != null && bn.layer() instanceof BatchNorm2d b ? b : null;
    }

    /** E[ReLU(y)] per channel for y ~ N(β, γ²), divided by {@code inputScale} (CLE scales, or null). */
    static double[] expectedInput(BatchNorm2d bn, double[] inputScale) {
        float[] gamma = bn.gamma().valueFloats();
        float[] beta = bn.beta().valueFloats();
        double[] e = new double[gamma.length];
        for (int c = 0; c < e.length; c++) {
            double s = Math.abs(gamma[c]);
            double b = beta[c];
            e[c] = s == 0 ? Math.max(b, 0) : s * STANDARD_NORMAL.density(b / s) + b * STANDARD_NORMAL.cumulativeProbability(b / s);
            if (inputScale != null) {
                e[c] /= inputScale[c];
            }
        }
        return e;
    }

    /**
     * Corrects {@code layer}'s bias for replacing its float weight by {@code quantized}:
     * b ← b − (Q(W) − W)·E[x]. Returns false (and changes nothing) when the layer has no bias.
     */
    public static boolean correct(WeightLayer layer, INDArray quantized, double[] expectedInput) {
        if (layer.bias() == null) {
            return false;
        }
        float[] w = ChannelMath.read(layer);
        float[] q = Nd4jArrays.floats(quantized);
        long[] s = ChannelMath.shape(layer);
        int rows = ChannelMath.inRows(layer);
        if (rows % expectedInput.length != 0) {
            throw new IllegalStateException("layer " + layer.name() + " has " + rows + " input rows but its input BN has "
                    + expectedInput.length + " channels");
        }
        int perChannel = rows / expectedInput.length;
        double[] delta = new double[ChannelMath.outChannels(layer)];
        for (int i = 0; i < w.length; i++) {
            int o = ChannelMath.outChannelOf(layer, s, i);
            int c = ChannelMath.inRowOf(layer, s, i) / perChannel;
            delta[o] += ((double) q[i] - w[i]) * expectedInput[c];
        }
        float[] b = layer.bias().valueFloats();
        for (int o = 0; o < b.length; o++) {
            b[o] = (float) (b[o] - delta[o]);
        }
        return true;
    }
}
