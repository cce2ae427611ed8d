package org.ternsweep.methods;

import org.ternsweep.catalog.ReconstructionOptions;
import org.ternsweep.data.Calibration;
import org.ternsweep.engine.Network;
import org.ternsweep.engine.Tensor;
import org.ternsweep.models.Nd4jArrays;
import org.ternsweep.quant.LayerScheme;

/**
 * What AdaRound and BrecQ share before their first step: the resolved options, the BN-folded float
 * network (targets) and its copy that gets quantized in place, the calibration subset drawn from the
 * cell's seed (the same for every operator and method at that seed, spec §5) and each layer's scheme.
 */
record ReconstructionSetup(ReconstructionOptions options, Network floatNet, Network quantNet, int[] calibration,
                           Tensor images, LayerScheme[] schemes) {

    static ReconstructionSetup of(MethodInput in, ReconstructionOptions opt) {
        Network floatNet = in.floatNetwork().copy().foldBatchNorm();
        Network quantNet = floatNet.copy();
        int[] calib = Calibration.sample(in.dataset(), in.seed(), opt.calibration());
        Tensor images = Nd4jArrays.tensor(in.dataset().trainBatch(calib));
        return new ReconstructionSetup(opt, floatNet, quantNet, calib, images, in.plan().schemes(quantNet.weightLayers()));
    }
}
