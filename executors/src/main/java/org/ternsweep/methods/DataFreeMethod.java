package org.ternsweep.methods;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ternsweep.catalog.DataFreeOptions;
import org.ternsweep.core.LayerDiagnostics;
import org.ternsweep.engine.BatchNorm2d;
import org.ternsweep.engine.Network;
import org.ternsweep.engine.Tensor;
import org.ternsweep.engine.WeightLayer;
import org.ternsweep.models.Nd4jArrays;
import org.ternsweep.quant.LayerScheme;

/**
 * {@code data-free} (spec §4.1): fold BatchNorm, optionally equalize ranges across layers (CLE), apply
 * the operator to every weight tensor, optionally correct biases for the expected quantization error
 * (analytic), then optionally re-estimate the BN-folded layers' output statistics and correct the biases
 * from the calibration images (empirical). Deterministic; the seed plays a part only through the calibration
 * images of the last two.
 */
public final class DataFreeMethod implements QuantizationMethod {
    public static final String NAME = "data-free";

    private final DataFreeOptions options;

    public DataFreeMethod(DataFreeOptions options) {
        if (options == null) {
            throw new IllegalArgumentException("data-free needs its options; Catalog.DATA_FREE.defaults() has the"
                    + " defaults");
        }
        this.options = options;
    }

    @Override
    public String name() {
        return NAME;
    }

    /** The options this instance runs with. */
    public DataFreeOptions options() {
        return options;
    }

    @Override
    public MethodOutcome quantize(MethodInput in) {
        boolean cle = options.cle();
        boolean analytic = options.biasCorrection() == DataFreeOptions.BiasCorrection.ANALYTIC;
        Network net = in.floatNetwork().copy().foldBatchNorm();
        Map<String, double[]> cleScales = cle ? CrossLayerEqualization.apply(net) : Map.of();
        Map<String, BatchNorm2d> inputBn = analytic ? BiasCorrection.eligible(in.floatNetwork()) : Map.of();
        // the corrections that use data, and the drift diagnostics, compare each layer with its float
        // counterpart, equalized as it is
        Network reference = cle || options.usesCalibration() ? net.copy() : null;

        List<WeightLayer> layers = net.weightLayers();
        LayerScheme[] schemes = in.plan().schemes(layers);
        List<LayerDiagnostics> diagnostics = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            WeightLayer layer = layers.get(i);
            QuantPlan.Quantized q = in.plan().quantize(layer, schemes[i]);
            BatchNorm2d bn = inputBn.get(layer.name());
            if (bn != null && schemes[i] != LayerScheme.FP) {
                BiasCorrection.correct(layer, q.values(), BiasCorrection.expectedInput(bn, cleScales.get(layer.name())));
            }
            Nd4jArrays.assign(layer.weight(), q.values());
            diagnostics.add(q.diagnostics());
        }
        if (options.usesCalibration()) {
            Tensor images = LayerOutputs.calibrationImages(in.dataset(), in.seed(), options.calibration());
            if (options.bnReestimation()) {
                LayerOutputs.reestimateQuantized(in.floatNetwork(), reference, net, images, schemes);
            }
            if (options.biasCorrection() == DataFreeOptions.BiasCorrection.EMPIRICAL) {
                LayerOutputs.correctBiases(reference, net, images, LayerOutputs.quantized(layers, schemes));
            }
        }
        return new MethodOutcome(net, diagnostics, List.of(), cle ? reference : null);
    }
}
