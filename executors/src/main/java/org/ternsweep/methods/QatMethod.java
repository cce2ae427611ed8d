package org.ternsweep.methods;

import java.util.ArrayList;
import java.util.List;
import org.ternsweep.catalog.Catalog;
import org.ternsweep.catalog.QatOptions;
import org.ternsweep.core.EpochStat;
import org.ternsweep.core.LayerDiagnostics;
import org.ternsweep.core.NumericalFailureException;
import org.ternsweep.core.SeedPurpose;
import org.ternsweep.core.TrainingDivergedException;
import org.ternsweep.data.Dataset;
import org.ternsweep.engine.Evaluator;
import org.ternsweep.engine.Network;
import org.ternsweep.engine.Tensor;
import org.ternsweep.engine.WeightLayer;
import org.ternsweep.models.Nd4jArrays;
import org.ternsweep.models.OptimizerKind;
import org.ternsweep.models.StepHook;
import org.ternsweep.models.TrainConfig;
import org.ternsweep.models.Trainer;
import org.ternsweep.models.TrainingRun;
import org.ternsweep.quant.LayerScheme;

/**
 * {@code qat} (spec §4.4): quantization-aware training with the straight-through estimator (Bengio et
 * al. 2013; as used for ternary weights by Li et al. 2016, "Ternary weight networks", and Zhu et al. 2017,
 * "Trained ternary quantization", except that λ is never learned: the operator refits λ and t from the
 * current float weights at every step, so the operator keeps mattering).
 *
 * <p>Starts from a copy of the float model (with BatchNorm, in training mode) and trains it with the project's
 * one training loop ({@link Trainer}), hooked so that at every step Q(W) is each quantized layer's effective
 * weight ({@link QatQuantizer}, which also explains how BN is folded on the fly) and, for {@code ste: clipped},
 * the gradients of saturated weights are cancelled between backward and the optimiser step. Epoch {@code e}
 * visits the training set in the order {@code Seeds.permutation(n, seed, "qat-order:epoch" + e)}
 * ({@link SeedPurpose#QAT_ORDER}); the last batch may be smaller, and a fractional {@code epochs} runs that
 * fraction of the last epoch's batches (at least one step).
 *
 * <p>The final model is the operator applied to the trained float weights after BN folding, exactly as
 * {@link DataFreeMethod} does without CLE or bias correction. After every epoch that model is built and
 * evaluated on the dataset's full test split for the training curve, so the method's wall time includes
 * those evaluations (about a sixth of one training epoch's cost on Fashion-MNIST).
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
     * @throws TrainingDivergedException if the loss or a weight becomes NaN or infinite, naming epoch and step, or
     *                                   the loss rises far above where it started (Trainer's rule); it keeps the
     *                                   curve of the finished epochs
     */
    public Result train(MethodInput in) {
        Dataset data = in.dataset();
        Network net = in.floatNetwork().copy();
        QatQuantizer quantizer = new QatQuantizer(net, in.plan(), options.ste());
        Tensor train = new Tensor(data.trainImages(), data.shape().batchShape(data.trainSize()));
        Tensor test = new Tensor(data.testImages(), data.shape().batchShape(data.testSize()));
        TrainConfig cfg = new TrainConfig(options.epochs(), options.batch(), options.lr(),
                OptimizerKind.valueOf(options.optimizer().name()));
        TrainingRun run = new TrainingRun("QAT", SeedPurpose.QAT_ORDER, "lower the qat lr or use ste: clipped");
        StepHook hook = new StepHook() {
            @Override
            public void beforeStep(Network n, int epoch, long step) {
                quantizer.apply(epoch, step);
            }

            @Override
            public void afterBackward(Network n, long step) {
                quantizer.maskGradients();
            }
        };
        List<EpochStat> curve = new ArrayList<>();
        MethodOutcome[] deployed = new MethodOutcome[1];
        // the batch of the per-epoch test evaluation only bounds memory; the default keeps the curve's numbers
        int evalBatch = Catalog.EVALUATION.defaults().batch();
        try {
            Trainer.train(net, train, data.trainLabels(), cfg, in.seed(), run, report -> {
                quantizer.clear();
                deployed[0] = deploy(net, in.plan(), List.of());
                double accuracy = Evaluator.evaluate(deployed[0].network(), test, data.testLabels(), evalBatch)
                        .accuracy();
                curve.add(new EpochStat(report.epoch(), report.meanLoss(), accuracy));
            }, hook);
        } catch (NumericalFailureException e) {
            // the FAILED cell keeps the curve of the epochs that finished
            throw new TrainingDivergedException(e.getMessage(), curve, e);
        }
        return new Result(net, new MethodOutcome(deployed[0].network(), deployed[0].layers(), curve));
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
            Nd4jArrays.assign(layers.get(i).weight(), q.values());
            diagnostics.add(q.diagnostics());
        }
        return new MethodOutcome(folded, diagnostics, curve);
    }
}
