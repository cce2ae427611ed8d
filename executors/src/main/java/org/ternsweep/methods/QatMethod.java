package org.ternsweep.methods;

import java.util.ArrayList;
import java.util.List;
import org.ternsweep.catalog.Catalog;
import org.ternsweep.catalog.QatOptions;
import org.ternsweep.core.EpochStat;
import org.ternsweep.core.LayerDiagnostics;
import org.ternsweep.core.NumericalFailureException;
import org.ternsweep.core.SeedPurpose;
import org.ternsweep.core.Seeds;
import org.ternsweep.data.Dataset;
import org.ternsweep.engine.Adam;
import org.ternsweep.engine.Evaluator;
import org.ternsweep.engine.Network;
import org.ternsweep.engine.Optimizer;
import org.ternsweep.engine.Sgd;
import org.ternsweep.engine.SoftmaxCrossEntropy;
import org.ternsweep.engine.Tensor;
import org.ternsweep.engine.WeightLayer;
import org.ternsweep.quant.LayerScheme;

/**
 * {@code qat} (spec §4.4): quantization-aware training with the straight-through estimator (Bengio et
 * al. 2013; as used for ternary weights by Li et al. 2016, "Ternary weight networks", and Zhu et al. 2017,
 * "Trained ternary quantization", except that λ is never learned: the operator refits λ and t from the
 * current float weights at every step, so the operator keeps mattering).
 *
 * <p>Starts from a copy of the float model (with BatchNorm, in training mode), and at every step sets
 * Q(W) as each quantized layer's effective weight ({@link QatQuantizer}, which also explains how BN is
 * folded on the fly and what {@code ste: clipped} cancels), then forward, backward, optimiser step on
 * the float weights. Epoch {@code e} visits the training set in the order
 * {@code Seeds.permutation(n, seed, "qat-order:epoch" + e)} ({@link SeedPurpose#QAT_ORDER}); the last batch may be
 * smaller, and a fractional {@code epochs} runs that fraction of the last epoch's batches (at least one step).
 *
 * <p>The final model is the operator applied to the trained float weights after BN folding, exactly as
 * {@link DataFreeMethod} does without CLE or bias correction. After every epoch that model is built and
 * evaluated on the dataset's full test split for the training curve, so the method's wall time includes
 * those evaluations (about a sixth of one training epoch's cost on Fashion-MNIST).
 *
 * <p>Why not the zoo's {@code Trainer}: clipped STE must edit the gradients between backward and the
 * optimiser step, a point its step hook does not reach, and QAT needs its own shuffling purpose and
 * divergence error; the loop below reuses the engine's forward, backward, loss and optimisers.
 */
public final class QatMethod implements QuantizationMethod {
    public static final String NAME = "qat";

    private final QatOptions options;

    public QatMethod(QatOptions options) {
        if (options == null) {
            throw new IllegalArgumentException("qat needs its options; Catalog.QAT.defaults() has the defaults");
        }
        this.options = options;
    }

    /**
     * Everything a QAT run produced.
     *
     * @param trainedFloat the float network after training (with BatchNorm, no effective weights)
     * @param outcome      the quantized, BN-folded model with diagnostics and the training curve
     */
    public record Result(Network trainedFloat, MethodOutcome outcome) {
        public Result {
            if (trainedFloat == null || outcome == null) {
                throw new IllegalArgumentException("a QAT result needs the trained float network and the outcome");
            }
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    /** The options this instance runs with. */
    public QatOptions options() {
        return options;
    }

    @Override
    public MethodOutcome quantize(MethodInput in) {
        return train(in).outcome();
    }

    /**
     * Runs QAT and also returns the trained float network (for tests and reproduction).
     *
     * @throws NumericalFailureException if the loss or a weight becomes NaN or infinite, naming epoch and step
     */
    public Result train(MethodInput in) {
        QatOptions cfg = options;
        Dataset data = in.dataset();
        Network net = in.floatNetwork().copy();
        QatQuantizer quantizer = new QatQuantizer(net, in.plan(), cfg.ste());
        Optimizer opt = cfg.optimizer() == QatOptions.Optimizer.SGD ? new Sgd(net.params(), cfg.lr())
                : new Adam(net.params(), cfg.lr());
        // the batch of the per-epoch test evaluation only bounds memory; the default keeps the curve's numbers
        int evalBatch = Catalog.EVALUATION.defaults().batch();
        Tensor test = new Tensor(data.testImages(), data.testSize(), 1, Dataset.SIDE, Dataset.SIDE);

        int n = data.trainSize();
        int batchesPerEpoch = (n + cfg.batch() - 1) / cfg.batch();
        long totalSteps = Math.max(1, Math.round(cfg.epochs() * batchesPerEpoch));
        float[] src = data.trainImages();
        int[] labels = data.trainLabels();
        List<EpochStat> curve = new ArrayList<>();
        MethodOutcome deployed = null;
        long step = 0;
        for (int epoch = 1; step < totalSteps; epoch++) {
            int[] order = Seeds.permutation(n, in.seed(), SeedPurpose.QAT_ORDER.epoch(epoch - 1));
            double lossSum = 0;
            long seen = 0;
            for (int from = 0; from < n && step < totalSteps; from += cfg.batch(), step++) {
                int b = Math.min(n, from + cfg.batch()) - from;
                float[] xb = new float[b * Dataset.PIXELS];
                int[] yb = new int[b];
                for (int i = 0; i < b; i++) {
                    int idx = order[from + i];
                    System.arraycopy(src, idx * Dataset.PIXELS, xb, i * Dataset.PIXELS, Dataset.PIXELS);
                    yb[i] = labels[idx];
                }
                quantizer.apply(epoch, step);
                opt.zeroGrad();
                Tensor logits = net.forward(new Tensor(xb, b, 1, Dataset.SIDE, Dataset.SIDE), true);
                SoftmaxCrossEntropy.Result r = SoftmaxCrossEntropy.compute(logits, yb);
                if (!Double.isFinite(r.loss())) {
                    throw new NumericalFailureException("QAT of " + net.architecture() + " diverged at epoch " + epoch
                            + ", step " + step + " (loss " + r.loss() + ", lr " + cfg.lr() + "); lower the qat lr or"
                            + " use ste: clipped");
                }
                net.backward(r.gradLogits());
                quantizer.maskGradients();
                opt.step();
                lossSum += r.loss() * b;
                seen += b;
            }
            quantizer.clear();
            deployed = deploy(net, in.plan(), List.of());
            double accuracy = Evaluator.evaluate(deployed.network(), test, data.testLabels(), evalBatch).accuracy();
            curve.add(new EpochStat(epoch, lossSum / seen, accuracy));
        }
        return new Result(net, new MethodOutcome(deployed.network(), deployed.layers(), curve));
    }

    /**
     * The deployed model of spec §4.4: BN folded into the float weights (spec §3), then every layer
     * quantized by its scheme with the operator's plain rounding.
     */
    public static MethodOutcome deploy(Network trainedFloat, QuantPlan plan, List<EpochStat> curve) {
        Network folded = trainedFloat.foldBatchNorm();
        List<WeightLayer> layers = folded.weightLayers();
        LayerScheme[] schemes = plan.schemes(layers);
        List<LayerDiagnostics> diagnostics = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            QuantPlan.Quantized q = plan.quantize(layers.get(i), schemes[i]);
            layers.get(i).weight().value().assign(q.values());
            diagnostics.add(q.diagnostics());
        }
        return new MethodOutcome(folded, diagnostics, curve);
    }
}
