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
 * {@code adaround} (spec §4.2; Nagel et al. 2020, "Up or Down? Adaptive Rounding for Post-Training
 * Quantization"): on the BN-folded network, layer by layer in network order, learn for each ternary weight
 * whether it rounds to 0 or to sign(w)·λ, minimising the error of the layer's activated output
 * {@code ‖f(W̃x̂+b) − f(Wx+b)‖²}, where x̂ is the layer's input in the network whose earlier layers are
 * already quantized and x its input in the float network. λ and t come from the operator and are never
 * learned. Layers whose scheme is int8 or fp ({@code first_last}) are set by plain rounding and still
 * belong to the quantized prefix.
 */
public final class AdaroundMethod implements QuantizationMethod {
    public static final String NAME = "adaround";

    private final ReconstructionOptions options;

    public AdaroundMethod(ReconstructionOptions options) {
        if (options == null) {
            throw new IllegalArgumentException("adaround needs its options; Catalog.ADAROUND.defaults() has the"
                    + " defaults");
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
        LayerScheme[] schemes = setup.schemes();

        List<LayerDiagnostics> diagnostics = new ArrayList<>();
        Tensor floatAct = images;
        Tensor quantAct = images;
        int layerIndex = 0;
        for (int s = 0; s < quantNet.stages().size(); s++) {
            Stage fs = floatNet.stages().get(s);
            Stage qs = quantNet.stages().get(s);
            List<WeightLayer> fLayers = fs.weightLayers();
            List<WeightLayer> qLayers = qs.weightLayers();
            for (int j = 0; j < qLayers.size(); j++) {
                WeightLayer ql = qLayers.get(j);
                LayerScheme scheme = schemes[layerIndex++];
                if (scheme != LayerScheme.TERNARY) {
                    QuantPlan.Quantized q = in.plan().quantize(ql, scheme);
                    Nd4jArrays.assign(ql.weight(), q.values());
                    diagnostics.add(q.diagnostics());
                    continue;
                }
                INDArray floatWeight = Nd4jArrays.value(ql.weight());
                TernaryFit fit = in.plan().fit(ql);
                Tensor xq = Activations.layerInput(qs, ql, quantAct);
                Tensor target = Activations.activatedOutput(fLayers.get(j), Activations.layerInput(fs, fLayers.get(j), floatAct));
                SoftRounding r = new SoftRounding(ql.name(), Nd4jArrays.floats(floatWeight), fit);
                Reconstruction.run(ReconstructionBlock.layer(ql), List.of(ql), List.of(r), xq, target, null, opt,
                        in.seed());
                diagnostics.add(Diagnostics.of(ql.name(), scheme.label(), floatWeight, Nd4jArrays.value(ql.weight()),
                        fit));
            }
            floatAct = Activations.stageOutput(fs, floatAct);
            quantAct = Activations.stageOutput(qs, quantAct);
        }
        if (opt.bnReestimation()) {
            LayerOutputs.reestimateQuantized(in.floatNetwork(), floatNet, quantNet, images, schemes);
        }
        return new MethodOutcome(quantNet, diagnostics, List.of());
    }
}
