package org.ternsweep.methods;

import java.util.List;
import org.ternsweep.catalog.ReconstructionOptions;
import org.ternsweep.core.NumericalFailureException;
import org.ternsweep.core.SeedPurpose;
import org.ternsweep.data.Calibration;
import org.ternsweep.engine.Tensor;
import org.ternsweep.engine.WeightLayer;

/**
 * The rounding optimisation shared by AdaRound (one layer, Nagel et al. 2020) and BrecQ (one block,
 * Li et al. 2021), spec §4.2–4.3. Minimises
 * {@code mean over the batch of Σ ω·(block_q(x̂) − target)² + reg·Σ(1 − |2h(V)−1|^β)} over the V of every
 * {@link SoftRounding} of the block with Adam, under the {@link RoundingSchedule}, then sets every layer's
 * weight to its hard rounding λ·codes. ω is 1 (mse) or a per-element weight (BrecQ's diagonal Fisher).
 *
 * <p>Batches come from {@link Calibration#batchOrder} with purpose {@link SeedPurpose#RECONSTRUCTION_BATCHES} and
 * the cell's seed, the same for every layer, block, operator and method at a seed (common random numbers, spec §5).
 */
final class Reconstruction {
    private Reconstruction() {
    }

    /** The reconstruction loss at the first and last iteration, and the regulariser at the last. */
    record Result(double firstLoss, double lastLoss, double lastRegulariser) {
    }

    /**
     * Optimises the roundings and leaves each layer holding its hard-rounded weight (effective weights cleared).
     *
     * @param block     forward/backward of the layer or block
     * @param layers    the weight layers learned, parallel to {@code roundings}
     * @param roundings the soft roundings of those layers' float weights
     * @param inputs    x̂ for every calibration image (quantized prefix)
     * @param targets   the float block output for every calibration image
     * @param weights   per-element loss weights parallel to {@code targets.data()}, or null for plain mse
     * @throws NumericalFailureException if the loss or a V becomes NaN or infinite
     */
    static Result run(ReconstructionBlock block, List<WeightLayer> layers, List<SoftRounding> roundings,
                      Tensor inputs, Tensor targets, float[] weights, ReconstructionOptions opt, long seed) {
        if (layers.size() != roundings.size() || layers.isEmpty()) {
            throw new IllegalArgumentException(block.description() + ": need one soft rounding per learned layer, got "
                    + layers.size() + " layers and " + roundings.size() + " roundings");
        }
        int n = inputs.dim(0);
        if (targets.dim(0) != n || (weights != null && weights.length != targets.size())) {
            throw new IllegalArgumentException(block.description() + ": " + n + " inputs but targets " + targets
                    + (weights == null ? "" : " and " + weights.length + " loss weights"));
        }
        RoundingSchedule schedule = new RoundingSchedule(opt.iterations());
        int[][] batches = Calibration.batchOrder(n, opt.batch(), opt.iterations(), seed,
                SeedPurpose.RECONSTRUCTION_BATCHES);
        int k = layers.size();
        float[][] soft = new float[k][];
        VectorAdam[] adam = new VectorAdam[k];
        for (int j = 0; j < k; j++) {
            SoftRounding r = roundings.get(j);
            soft[j] = new float[r.size()];
            adam[j] = new VectorAdam(r.size(), opt.lr());
        }
        double first = Double.NaN;
        double loss = Double.NaN;
        double regValue = 0;
        try {
            for (int j = 0; j < k; j++) {
                roundings.get(j).softWeight(soft[j]);
            }
            for (int it = 0; it < opt.iterations(); it++) {
                double reg = schedule.regulariserOn(it) ? opt.reg() : 0.0;
                loss = forwardBackward(block, layers, soft, inputs, targets, weights, batches[it]);
                if (!Double.isFinite(loss)) {
                    throw new NumericalFailureException(block.description() + ": reconstruction diverged: its loss"
                            + " became " + loss + " at iteration " + it + " of " + opt.iterations()
                            + "; lower 'lr' or 'iterations' in the method options, or check the float model and"
                            + " calibration data for NaN values");
                }
                if (it == 0) {
                    first = loss;
                }
                regValue = 0;
                for (int j = 0; j < k; j++) {
                    float[] dLdW = layers.get(j).weight().gradFloats();
                    regValue += roundings.get(j).learnStep(dLdW, reg, schedule.beta(it), adam[j], soft[j],
                            block.description(), it);
                }
            }
        } finally {
            for (WeightLayer l : layers) {
                l.clearEffectiveWeight();
            }
            ReconstructionBlock.zeroGrad(layers);
        }
        for (int j = 0; j < k; j++) {
            layers.get(j).weight().setValue(roundings.get(j).hardWeight());
        }
        return new Result(first, loss, regValue);
    }

    /** The reconstruction loss of one batch and the regulariser's value (0 when it is off). */
    record Step(double loss, double regulariser) {
    }

    /**
     * One evaluation of the objective on the batch {@code idx}: sets each layer's effective weight to its
     * current soft weight (written into {@code soft}), runs forward and backward, and writes into {@code dV}
     * the gradient of {@code loss + reg·Σ(1 − |2h−1|^β)} with respect to every V. The returned loss is the
     * reconstruction term alone (mean over the batch of the weighted squared error).
     */
    static Step lossAndGradient(ReconstructionBlock block, List<WeightLayer> layers, List<SoftRounding> roundings,
                                float[][] soft, Tensor inputs, Tensor targets, float[] weights, int[] idx,
                                double reg, double beta, double[][] dV) {
        int k = layers.size();
        for (int j = 0; j < k; j++) {
            roundings.get(j).softWeight(soft[j]);
        }
        double loss = forwardBackward(block, layers, soft, inputs, targets, weights, idx);
        double regValue = 0;
        for (int j = 0; j < k; j++) {
            float[] dLdW = layers.get(j).weight().gradFloats();
            regValue += roundings.get(j).gradientAfterSoftWeight(dLdW, reg, beta, dV[j]);
        }
        return new Step(loss, regValue);
    }

    /**
     * Sets each layer's effective weight to {@code soft}, runs forward and backward on the batch {@code idx}
     * (leaving dLoss/dW̃ in each layer's weight gradient) and returns the reconstruction loss: the mean over
     * the batch of the weighted squared error.
     */
    private static double forwardBackward(ReconstructionBlock block, List<WeightLayer> layers, float[][] soft,
                                          Tensor inputs, Tensor targets, float[] weights, int[] idx) {
        for (int j = 0; j < layers.size(); j++) {
            layers.get(j).setEffectiveWeight(soft[j]);
        }
        int per = targets.size() / targets.dim(0);
        Tensor y = block.forward(Activations.gather(inputs, idx));
        float[] yv = y.data();
        float[] tv = targets.data();
        if (yv.length != idx.length * per) {
            throw new IllegalArgumentException(block.description() + " gives " + y + " but the targets are "
                    + targets + "; the float target must be the same block's output");
        }
        float[] g = new float[yv.length];
        double sum = 0;
        double scale = 2.0 / idx.length;
        for (int b = 0; b < idx.length; b++) {
            int src = idx[b] * per;
            int dst = b * per;
            for (int e = 0; e < per; e++) {
                double d = yv[dst + e] - tv[src + e];
                double w = weights == null ? 1.0 : weights[src + e];
                sum += w * d * d;
                g[dst + e] = (float) (scale * w * d);
            }
        }
        ReconstructionBlock.zeroGrad(layers);
        block.backward(new Tensor(g, y.shape()));
        return sum / idx.length;
    }
}
