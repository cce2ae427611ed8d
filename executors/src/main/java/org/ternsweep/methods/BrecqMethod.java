package org.ternsweep.methods;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.ternsweep.catalog.ReconstructionOptions;
import org.ternsweep.core.LayerDiagnostics;
import org.ternsweep.engine.Network;
import org.ternsweep.engine.Stage;
import org.ternsweep.engine.Tensor;
import org.ternsweep.engine.WeightLayer;
import org.ternsweep.models.Nd4jArrays;
import org.ternsweep.quant.Diagnostics;
import org.ternsweep.quant.LayerScheme;
import org.ternsweep.quant.TernaryFit;

/**
 * {@code brecq} (spec §4.3; Li et al. 2021, "BRECQ: Pushing the Limit of Post-Training Quantization by
 * Block Reconstruction"): the soft rounding and schedule of AdaRound, but the V of all ternary layers of one
 * block are optimised together against the block's output {@code ‖block_q(x̂) − block_fp(x)‖²}. Blocks are
 * the network's stages: a residual basic block is one block, every other weight layer with its activation,
 * pooling and flatten is its own. With {@code loss: fisher} every output element is weighted by the squared
 * gradient of the float model's cross-entropy on the calibration labels with respect to that element (the
 * paper's diagonal-Fisher approximation), computed once per block. Layers whose scheme is int8 or fp are set
 * by plain rounding and still belong to the quantized prefix.
 */
public final class BrecqMethod implements QuantizationMethod {
    public static final String NAME = "brecq";

    private final ReconstructionOptions options;

    public BrecqMethod(ReconstructionOptions options) {
        if (options == null) {
            throw new IllegalArgumentException("brecq needs its options; Catalog.BRECQ.defaults() has the defaults");
        }
        this.options = options;
    }

    @Override
    public String name() {
        return NAME;
    }

    /** The options this instance runs with. */
    public ReconstructionOptions options() {
        return options;
    }

    @Override
    public MethodOutcome quantize(MethodInput in) {
        ReconstructionSetup setup = ReconstructionSetup.of(in, options);
        ReconstructionOptions opt = setup.options();
        Network floatNet = setup.floatNet();
        Network quantNet = setup.quantNet();
        Tensor images = setup.images();
        int[] labels = in.dataset().trainLabels(setup.calibration());
        LayerScheme[] schemes = setup.schemes();

        List<LayerDiagnostics> diagnostics = new ArrayList<>();
        Tensor floatAct = images;
        Tensor quantAct = images;
        int layerIndex = 0;
        for (int s = 0; s < quantNet.stages().size(); s++) {
            Stage fs = floatNet.stages().get(s);
            Stage qs = quantNet.stages().get(s);
            List<WeightLayer> learned = new ArrayList<>();
            List<SoftRounding> roundings = new ArrayList<>();
            List<TernaryFit> fits = new ArrayList<>();
            List<INDArray> floatWeights = new ArrayList<>();
            LayerDiagnostics[] stageDiagnostics = new LayerDiagnostics[qs.weightLayers().size()];
            int j = 0;
            for (WeightLayer ql : qs.weightLayers()) {
                LayerScheme scheme = schemes[layerIndex++];
                if (scheme == LayerScheme.TERNARY) {
                    INDArray w = Nd4jArrays.value(ql.weight());
                    TernaryFit fit = in.plan().fit(ql);
                    learned.add(ql);
                    fits.add(fit);
                    floatWeights.add(w);
                    roundings.add(new SoftRounding(ql.name(), Nd4jArrays.floats(w), fit));
                } else {
                    QuantPlan.Quantized q = in.plan().quantize(ql, scheme);
                    Nd4jArrays.assign(ql.weight(), q.values());
                    stageDiagnostics[j] = q.diagnostics();
                }
                j++;
            }
            Tensor target = Activations.stageOutput(fs, floatAct);
            if (!learned.isEmpty()) {
                float[] weights = opt.loss() == ReconstructionOptions.Loss.FISHER
                        ? FisherWeights.of(floatNet, s, images, labels) : null;
                Reconstruction.run(ReconstructionBlock.stage(qs), learned, roundings, quantAct, target, weights, opt,
                        in.seed());
                j = 0;
                int k = 0;
                for (WeightLayer ql : qs.weightLayers()) {
                    if (stageDiagnostics[j] == null) {
                        stageDiagnostics[j] = Diagnostics.of(ql.name(), LayerScheme.TERNARY.label(), floatWeights.get(k),
                                Nd4jArrays.value(ql.weight()), fits.get(k));
                        k++;
                    }
                    j++;
                }
            }
            diagnostics.addAll(List.of(stageDiagnostics));
            floatAct = target;
            quantAct = Activations.stageOutput(qs, quantAct);
        }
        if (opt.bnReestimation()) {
            LayerOutputs.reestimateQuantized(in.floatNetwork(), floatNet, quantNet, images, schemes);
        }
        return new MethodOutcome(quantNet, diagnostics, List.of());
    }
}
