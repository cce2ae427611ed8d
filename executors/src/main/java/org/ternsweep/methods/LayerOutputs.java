package org.ternsweep.methods;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ternsweep.core.LayerDiagnostics;
import org.ternsweep.data.Calibration;
import org.ternsweep.data.Dataset;
import org.ternsweep.engine.BatchNorm2d;
import org.ternsweep.engine.GraphStage;
import org.ternsweep.engine.Layer;
import org.ternsweep.engine.Network;
import org.ternsweep.engine.Stage;
import org.ternsweep.engine.Tensor;
import org.ternsweep.engine.WeightLayer;
import org.ternsweep.models.Nd4jArrays;
import org.ternsweep.quant.LayerScheme;

/**
 * Per-channel statistics of each weight layer's output (W·x + b, before its activation) over a set of images, and
 * the corrections and diagnostics built on them (spec §4.1, §6): the empirical bias correction, BN re-estimation and
 * the output drift of a quantized network against its float network. A channel's statistics pool the images and,
 * for a conv, every spatial position; sums are in double, in image order, so the result does not depend on the
 * chunk size.
 */
public final class LayerOutputs {
    /** Images per forward chunk: bounds the engine's temporary buffers. */
    private static final int CHUNK = Activations.CHUNK;

    private LayerOutputs() {
    }

    /**
     * Mean and standard deviation (population, 1/n) per output channel of one layer.
     *
     * @param mean per channel
     * @param std  per channel
     */
    public record Moments(double[] mean, double[] std) {
    }

    /** The calibration images of {@code seed} (spec §5, the images AdaRound and BrecQ draw at that seed and size). */
    public static Tensor calibrationImages(Dataset dataset, long seed, int n) {
        return Nd4jArrays.tensor(dataset.trainBatch(Calibration.sample(dataset, seed, n)));
    }

    /** The moments of every weight layer of {@code net} on {@code images}, by layer name, in network order. */
    public static Map<String, Moments> all(Network net, Tensor images) {
        return moments(net, images, null);
    }

    /** The moments of the weight layer {@code layer} of {@code net} on {@code images}; runs the network up to it. */
    public static Moments of(Network net, Tensor images, String layer) {
        Moments m = moments(net, images, layer).get(layer);
        if (m == null) {
            throw new IllegalArgumentException("network " + net.architecture() + " has no weight layer " + layer);
        }
        return m;
    }

    private static Map<String, Moments> moments(Network net, Tensor images, String only) {
        Map<String, double[][]> sums = new LinkedHashMap<>(); // name -> {sum, sum of squares, count}
        for (int from = 0; from < images.dim(0); from += CHUNK) {
            Tensor x = images.slice(from, Math.min(images.dim(0), from + CHUNK));
            for (Stage stage : net.stages()) {
                x = stage.forward(x, false).copy();
                boolean done = false;
                for (WeightLayer l : stage.weightLayers()) {
                    if (only == null || l.name().equals(only)) {
                        // the layer's input as this forward cached it; its output is recomputed, unactivated
                        accumulate(l, sums);
                        done = only != null;
                    }
                }
                if (done) {
                    break;
                }
            }
        }
        Map<String, Moments> out = new LinkedHashMap<>();
        sums.forEach((name, s) -> {
            int channels = s[0].length;
            double[] mean = new double[channels];
            double[] std = new double[channels];
            for (int c = 0; c < channels; c++) {
                mean[c] = s[0][c] / s[2][c];
                std[c] = Math.sqrt(Math.max(0, s[1][c] / s[2][c] - mean[c] * mean[c]));
            }
            out.put(name, new Moments(mean, std));
        });
        return out;
    }

    private static void accumulate(WeightLayer l, Map<String, double[][]> sums) {
        Tensor y = l.forward(l.lastInputTensor(), false);
        int n = y.dim(0);
        int channels = y.dim(1);
        int spatial = y.size() / (n * channels);
        double[][] s = sums.computeIfAbsent(l.name(), k -> new double[3][channels]);
        float[] v = y.data();
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < channels; c++) {
                int base = (i * channels + c) * spatial;
                double sum = 0;
                double sq = 0;
                for (int p = 0; p < spatial; p++) {
                    double a = v[base + p];
                    sum += a;
                    sq += a * a;
                }
                s[0][c] += sum;
                s[1][c] += sq;
                s[2][c] += spatial;
            }
        }
    }

    /**
     * The empirical bias correction (spec §4.1): for each of {@code layers} in network order, subtracts from its bias
     * the per-channel mean of (quantized − float) output on {@code images}, with the layers before it already
     * corrected, so that each layer's mean output difference on those images becomes 0. Layers without a bias are
     * left as they are.
     *
     * @param floatNet the float network the quantized one was made from (BN-folded, equalized as it was)
     * @param quantNet the quantized network, corrected in place
     */
    public static void correctBiases(Network floatNet, Network quantNet, Tensor images, List<String> layers) {
        Map<String, Moments> reference = all(floatNet, images);
        for (String name : layers) {
            WeightLayer layer = quantNet.weightLayer(name);
            if (layer.bias() == null) {
                continue;
            }
            Moments q = of(quantNet, images, name);
            double[] f = reference.get(name).mean();
            float[] b = layer.bias().valueFloats().clone();
            for (int c = 0; c < b.length; c++) {
                b[c] = (float) (b[c] - (q.mean()[c] - f[c]));
            }
            layer.bias().setValue(b);
        }
    }

    /**
     * BN re-estimation (spec §4.1): for each of {@code layers} in network order, scales output channel c of the
     * quantized layer's weight and bias by s = σ_f/σ_q and shifts the bias so that its output on {@code images} has
     * the float network's per-channel mean μ_f and standard deviation σ_f: W_c ← s·W_c, b_c ← s·(b_c − μ_q) + μ_f. A
     * channel with σ_q = 0 keeps s = 1 and gets only the shift.
     */
    public static void reestimate(Network floatNet, Network quantNet, Tensor images, List<String> layers) {
        Map<String, Moments> reference = all(floatNet, images);
        for (String name : layers) {
            WeightLayer layer = quantNet.weightLayer(name);
            Moments q = of(quantNet, images, name);
            Moments f = reference.get(name);
            int channels = q.mean().length;
            double[] scale = new double[channels];
            for (int c = 0; c < channels; c++) {
                scale[c] = q.std()[c] > 0 ? f.std()[c] / q.std()[c] : 1.0;
            }
            float[] w = ChannelMath.read(layer);
            long[] shape = ChannelMath.shape(layer);
            for (int i = 0; i < w.length; i++) {
                w[i] = (float) (w[i] * scale[ChannelMath.outChannelOf(layer, shape, i)]);
            }
            ChannelMath.write(layer, w);
            float[] b = layer.bias() == null ? null : layer.bias().valueFloats().clone();
            if (b == null) {
                throw new IllegalStateException("BN-folded layer " + name + " has no bias; folding gives every folded"
                        + " conv one");
            }
            for (int c = 0; c < channels; c++) {
                b[c] = (float) (scale[c] * (b[c] - q.mean()[c]) + f.mean()[c]);
            }
            layer.bias().setValue(b);
        }
    }

    /** The weight layers of {@code unfolded} that a BatchNorm follows (folding merges it into them), in order. */
    public static List<String> foldedLayers(Network unfolded) {
        List<String> out = new ArrayList<>();
        for (Stage stage : unfolded.stages()) {
            if (stage instanceof GraphStage graph) {
                // in a graph, the node after a conv need not be what reads it
                graph.batchNormPairs().keySet().forEach(c -> out.add(c.name()));
                continue;
            }
            List<Layer> layers = stage.layers();
            for (int i = 0; i + 1 < layers.size(); i++) {
                if (layers.get(i) instanceof WeightLayer w && layers.get(i + 1) instanceof BatchNorm2d) {
                    out.add(w.name());
                }
            }
        }
        return out;
    }

    /** The names of {@code layers} (in network order) whose scheme quantizes them, i.e. is not {@code fp}. */
    static List<String> quantized(List<WeightLayer> layers, LayerScheme[] schemes) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            if (schemes[i] != LayerScheme.FP) {
                out.add(layers.get(i).name());
            }
        }
        return out;
    }

    /**
     * BN re-estimation of the quantized layers of a method's result (spec §4.1-§4.3): the quantized ones among the
     * layers a BatchNorm of {@code unfolded} was folded into.
     */
    static void reestimateQuantized(Network unfolded, Network floatNet, Network quantNet, Tensor images,
                                    LayerScheme[] schemes) {
        List<String> layers = quantized(quantNet.weightLayers(), schemes);
        layers.retainAll(foldedLayers(unfolded));
        reestimate(floatNet, quantNet, images, layers);
    }

    /**
     * {@code layers} with the output drift (spec §6) of each layer of {@code quantized} against the same layer of
     * {@code reference} on {@code images} filled in.
     *
     * @throws IllegalArgumentException if the diagnostics do not name the quantized network's weight layers in order
     */
    public static List<LayerDiagnostics> withDrift(List<LayerDiagnostics> layers, Network reference, Network quantized,
                                                   Tensor images) {
        Map<String, double[]> drift = drift(all(reference, images), all(quantized, images));
        if (!List.copyOf(drift.keySet()).equals(layers.stream().map(LayerDiagnostics::layer).toList())) {
            throw new IllegalArgumentException("diagnostics " + layers.stream().map(LayerDiagnostics::layer).toList()
                    + " do not name the weight layers " + drift.keySet() + " of the quantized network in order");
        }
        List<LayerDiagnostics> out = new ArrayList<>();
        for (LayerDiagnostics d : layers) {
            double[] x = drift.get(d.layer());
            out.add(d.withDrift(x[0], x[1]));
        }
        return out;
    }

    /**
     * The output drift of each layer of {@code quant} against {@code reference} (spec §6): the mean over channels of
     * |μ_q − μ_f| / σ_f, and of σ_q / σ_f, over the channels with σ_f > 0 (NaN when there is none).
     *
     * @return layer name → {mean shift, std ratio}, in network order
     */
    public static Map<String, double[]> drift(Map<String, Moments> reference, Map<String, Moments> quant) {
        Map<String, double[]> out = new LinkedHashMap<>();
        quant.forEach((name, q) -> {
            Moments f = reference.get(name);
            double shift = 0;
            double ratio = 0;
            int used = 0;
            for (int c = 0; c < q.mean().length; c++) {
                if (f.std()[c] > 0) {
                    shift += Math.abs(q.mean()[c] - f.mean()[c]) / f.std()[c];
                    ratio += q.std()[c] / f.std()[c];
                    used++;
                }
            }
            out.put(name, used == 0 ? new double[] {Double.NaN, Double.NaN}
                    : new double[] {shift / used, ratio / used});
        });
        return out;
    }
}
