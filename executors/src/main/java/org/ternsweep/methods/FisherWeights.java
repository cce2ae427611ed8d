package org.ternsweep.methods;

import java.util.ArrayList;
import java.util.List;
import org.ternsweep.engine.Network;
import org.ternsweep.engine.SoftmaxCrossEntropy;
import org.ternsweep.engine.Tensor;

/**
 * BrecQ's diagonal-Fisher loss weights (Li et al. 2021, §3.3; spec §4.3): for every calibration image and
 * every element of a block's output, the squared gradient of the float model's cross-entropy (on that
 * image's label) with respect to that element. Gradients are per image (the loss of one image, not the
 * batch mean), so the weights do not depend on how images are chunked.
 */
final class FisherWeights {
    private FisherWeights() {
    }

    /**
     * Weights for the output of stage {@code stage} of {@code floatNet}, C order, stacked over images.
     *
     * @param floatNet the BN-folded float network (its gradients are reset afterwards)
     * @param images   the calibration images {@code [n, channels, height, width]}
     * @param labels   their labels
     */
    static float[] of(Network floatNet, int stage, Tensor images, int[] labels) {
        List<Tensor> parts = new ArrayList<>();
        int n = images.dim(0);
        for (int from = 0; from < n; from += Activations.CHUNK) {
            int to = Math.min(n, from + Activations.CHUNK);
            Tensor logits = floatNet.forward(images.slice(from, to), false);
            int[] chunkLabels = java.util.Arrays.copyOfRange(labels, from, to);
            Tensor g = SoftmaxCrossEntropy.compute(logits, chunkLabels).gradLogits();
            float[] gv = g.data();
            float rows = to - from;
            for (int i = 0; i < gv.length; i++) {
                gv[i] *= rows;
            }
            for (int k = floatNet.stages().size() - 1; k > stage; k--) {
                g = floatNet.stages().get(k).backward(g);
            }
            float[] sq = g.data().clone();
            for (int i = 0; i < sq.length; i++) {
                sq[i] *= sq[i];
            }
            parts.add(new Tensor(sq, g.shape()));
        }
        floatNet.zeroGrad();
        return Activations.concat(parts).data();
    }
}
