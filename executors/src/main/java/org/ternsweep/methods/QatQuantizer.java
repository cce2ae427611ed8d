package org.ternsweep.methods;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.ternsweep.catalog.QatOptions.Ste;
import org.ternsweep.core.NumericalFailureException;
import org.ternsweep.engine.BatchNorm2d;
import org.ternsweep.engine.GraphStage;
import org.ternsweep.engine.Layer;
import org.ternsweep.engine.Network;
import org.ternsweep.engine.ResidualBlock;
import org.ternsweep.engine.Stage;
import org.ternsweep.engine.WeightLayer;
import org.ternsweep.quant.Granularity;
import org.ternsweep.quant.GroupLayout;
import org.ternsweep.quant.Int8Quantizer;
import org.ternsweep.quant.LayerScheme;
import org.ternsweep.quant.TernaryFit;
import org.ternsweep.quant.TernaryOperator;

/**
 * The forward-pass quantizer of {@link QatMethod}: before every training step it refits the operator on
 * the current float weights and installs the quantized weight as each layer's effective weight, so the
 * forward pass sees Q and the backward pass writes dL/dQ into the float weight's gradient — the
 * straight-through estimator (Bengio et al. 2013, "Estimating or propagating gradients through
 * stochastic neurons"), which treats Q as the identity.
 *
 * <p><b>BatchNorm: folded on the fly.</b> Spec §3 quantizes the BN-folded weight {@code W·s} with
 * {@code s = γ/sqrt(running_var + eps)} per output channel. So that training sees the ternary structure
 * that will be deployed, a conv followed by BN gets the effective weight {@code Q(W·s)/s}: after the BN
 * this is, up to BN's own normalisation, the deployed {@code Q(W·s)} (Jacob et al. 2018, "Quantization
 * and training of neural networks for efficient integer-arithmetic-only inference", §3.2, fold BN
 * before quantizing; unlike their scheme we fold with the running statistics and let BN keep using the
 * batch statistics in training mode, which only rescales each channel). With per-channel granularity
 * and a symmetric operator this equals {@code Q(W)}; with per-tensor granularity it does not, and quantizing
 * {@code W} unfolded would train a threshold and level different from the deployed ones. A channel with
 * {@code s = 0} has a zero folded weight and gets a zero effective weight.
 *
 * <p><b>STE variants.</b> {@link Ste#IDENTITY} passes dL/dQ unchanged. {@link Ste#CLIPPED} zeroes the
 * gradient of every ternary weight outside the codebook's range, i.e. whose folded value exceeds the
 * group's level (|w| &gt; λ, or below −λ₋ for an asymmetric fit) — the ternary analogue of the
 * hard-tanh STE of Hubara et al. 2016 ("Binarized neural networks", §1.3), which cancels the gradient
 * where the quantizer saturates. Deviation (spec §4.4) from the literal "|w| &gt; M with M = max|w| of the
 * group": that set is empty by definition (no weight exceeds its group's maximum), so the saturation
 * point λ is used. INT8 layers saturate only at max|w| and are never clipped.
 *
 * <p>Not thread-safe: one instance serves one network in one training run.
 */
final class QatQuantizer {

    private final QuantPlan plan;
    private final Ste ste;
    private final List<Entry> entries = new ArrayList<>();

    /**
     * One weight layer: its scheme, the BN folded into it (or null), its groups (null for fp layers; the
     * weight's shape never changes, so they are built once) and the clipped-STE mask of this step.
     */
    private static final class Entry {
        final WeightLayer layer;
        final LayerScheme scheme;
        final BatchNorm2d bn;
        final GroupLayout layout;
        boolean[] clipped;

        Entry(WeightLayer layer, LayerScheme scheme, BatchNorm2d bn, Granularity granularity) {
            this.layer = layer;
            this.scheme = scheme;
            this.bn = bn;
            long[] shape = Arrays.stream(layer.weight().shape()).asLongStream().toArray();
            this.layout = switch (scheme) {
                case TERNARY -> GroupLayout.of(shape, granularity, layer.outputAxis());
                case INT8 -> GroupLayout.of(shape, Granularity.PER_CHANNEL, layer.outputAxis());
                case FP -> null;
            };
        }
    }

    QatQuantizer(Network net, QuantPlan plan, Ste ste) {
        if (net == null || plan == null || ste == null) {
            throw new IllegalArgumentException("the QAT quantizer needs a network, a plan and an STE mode");
        }
        this.plan = plan;
        this.ste = ste;
        Map<WeightLayer, BatchNorm2d> bns = followingBatchNorms(net);
        List<WeightLayer> layers = net.weightLayers();
        LayerScheme[] schemes = plan.schemes(layers);
        for (int i = 0; i < layers.size(); i++) {
            entries.add(new Entry(layers.get(i), schemes[i], bns.get(layers.get(i)), plan.granularity()));
        }
    }

    /** The BN that directly follows each conv (the one spec §3 folds into it). */
    static Map<WeightLayer, BatchNorm2d> followingBatchNorms(Network net) {
        Map<WeightLayer, BatchNorm2d> out = new IdentityHashMap<>();
        for (Stage stage : net.stages()) {
            if (stage instanceof ResidualBlock block) {
                putIfPresent(out, block.conv1(), block.bn1());
                putIfPresent(out, block.conv2(), block.bn2());
                putIfPresent(out, block.shortcut(), block.shortcutBn());
                continue;
            }
            if (stage instanceof GraphStage graph) {
                out.putAll(graph.batchNormPairs());
                continue;
            }
            List<Layer> ls = stage.layers();
            for (int i = 0; i + 1 < ls.size(); i++) {
                if (ls.get(i) instanceof WeightLayer w && ls.get(i + 1) instanceof BatchNorm2d bn) {
                    out.put(w, bn);
                }
            }
        }
        return out;
    }

    private static void putIfPresent(Map<WeightLayer, BatchNorm2d> map, WeightLayer w, BatchNorm2d bn) {
        if (w != null && bn != null) {
            map.put(w, bn);
        }
    }

    /**
     * Sets every quantized layer's effective weight from its current float weight (and, for clipped STE,
     * records which gradients to cancel).
     *
     * @throws NumericalFailureException if a weight is no longer finite, naming the layer, epoch and step
     */
    void apply(int epoch, long step) {
        for (Entry e : entries) {
            if (e.scheme == LayerScheme.FP) {
                e.layer.clearEffectiveWeight();
                continue;
            }
            float[] w = e.layer.weight().valueFloats();
            double[] s = e.bn == null ? null : foldScales(e.bn);
            float[] folded = s == null ? w : scale(w, s, false);
            for (float v : folded) {
                if (!Float.isFinite(v)) {
                    throw new NumericalFailureException("QAT diverged: layer " + e.layer.name()
                            + " has a non-finite weight at epoch " + epoch + ", step " + step
                            + "; lower the qat lr or use ste: clipped");
                }
            }
            float[] q = new float[folded.length];
            if (e.scheme == LayerScheme.TERNARY) {
                TernaryFit fit = quantizeTernary(plan.operator(), e.layout, folded, q);
                e.clipped = ste == Ste.CLIPPED ? saturated(folded, fit) : null;
            } else {
                quantizeInt8(e.layout, folded, q);
                e.clipped = null;
            }
            e.layer.setEffectiveWeight(s == null ? q : scale(q, s, true));
        }
    }

    /**
     * Fits {@code op} on C-order float weights and writes their quantized values λ·c into {@code q}: bitwise
     * the fit and the values of {@code op.fit} and {@code op.quantize} on a float INDArray holding them, but
     * through the operator's array entry point, without the per-step copies into and out of ND4J.
     */
    static TernaryFit quantizeTernary(TernaryOperator op, GroupLayout layout, float[] w, float[] q) {
        double[] values = toDoubles(w);
        TernaryFit fit = op.fit(values, layout);
        toFloats(fit.quantize(values), q);
        return fit;
    }

    /**
     * Writes the int8 values of C-order float weights into {@code q}: bitwise what
     * {@link Int8Quantizer#quantize(INDArray, int)} gives on a float INDArray holding them, without the ND4J
     * round trip.
     */
    static void quantizeInt8(GroupLayout layout, float[] w, float[] q) {
        toFloats(Int8Quantizer.quantize(toDoubles(w), layout), q);
    }

    private static double[] toDoubles(float[] w) {
        double[] values = new double[w.length];
        for (int i = 0; i < values.length; i++) {
            values[i] = w[i];
        }
        return values;
    }

    private static void toFloats(double[] values, float[] q) {
        for (int i = 0; i < q.length; i++) {
            q[i] = (float) values[i];
        }
    }

    /** For clipped STE: cancels the gradient of saturated weights (call after backward, before the step). */
    void maskGradients() {
        for (Entry e : entries) {
            if (e.clipped == null) {
                continue;
            }
            float[] g = e.layer.weight().gradFloats();
            for (int i = 0; i < g.length; i++) {
                if (e.clipped[i]) {
                    g[i] = 0f;
                }
            }
        }
    }

    /** Returns every layer to its float weight. */
    void clear() {
        for (Entry e : entries) {
            e.layer.clearEffectiveWeight();
            e.clipped = null;
        }
    }

    /** Per output channel γ/σ, the factor spec §3's folding multiplies a conv's weights by. */
    static double[] foldScales(BatchNorm2d bn) {
        float[] g = bn.gamma().valueFloats();
        float[] var = bn.runningVar();
        double[] s = new double[g.length];
        for (int c = 0; c < s.length; c++) {
            s[c] = g[c] / Math.sqrt(var[c] + BatchNorm2d.EPS);
        }
        return s;
    }

    /** Multiplies (or divides) each output channel of a conv weight {@code [out, ...]} by its scale. */
    private static float[] scale(float[] w, double[] s, boolean divide) {
        int per = w.length / s.length;
        float[] out = new float[w.length];
        for (int o = 0; o < s.length; o++) {
            for (int i = o * per; i < (o + 1) * per; i++) {
                out[i] = divide ? (s[o] == 0 ? 0f : (float) (w[i] / s[o])) : (float) (w[i] * s[o]);
            }
        }
        return out;
    }

    /** Which weights lie beyond their group's outermost level (where Q saturates). */
    static boolean[] saturated(float[] w, TernaryFit fit) {
        int[] group = fit.layout().groupIndex();
        boolean[] out = new boolean[w.length];
        for (int i = 0; i < w.length; i++) {
            int g = group[i];
            out[i] = w[i] > fit.lambda(g) || w[i] < -fit.negativeLambda(g);
        }
        return out;
    }
}
