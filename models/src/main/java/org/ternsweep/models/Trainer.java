package org.ternsweep.models;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.ternsweep.core.NumericalFailureException;
import org.ternsweep.core.Seeds;
import org.ternsweep.engine.Network;
import org.ternsweep.engine.Optimizer;
import org.ternsweep.engine.SoftmaxCrossEntropy;
import org.ternsweep.engine.Tensor;

/**
 * The training loop of the project, for the float baselines and for QAT: mini-batch training of a {@link Network}
 * with softmax cross-entropy, in training mode (BatchNorm uses batch statistics). Epoch {@code e} (0-based) visits
 * the images in the order {@code Seeds.permutation(n, seed, run.order().epoch(e))} ({@link TrainingRun}), the last
 * batch of an epoch may be smaller (PyTorch's {@code drop_last=False}), and a fractional epoch count runs that
 * fraction of the last epoch's batches (rounded, at least one step). A {@link StepHook} reaches into every step
 * (QAT's quantizer) and an {@link EpochListener} gets every epoch's report (QAT's evaluation of the deployed model).
 * Given the same seed, data and thread count the result is bitwise identical: every reduction runs in a fixed order.
 *
 * <p>Divergence stops the loop with a {@link NumericalFailureException} whose message says "diverged" (the rule of
 * docs/results-schema.md, "Status and errors"): a batch's loss is NaN or infinite, or, after an epoch (and its
 * listener), the epoch's mean loss exceeds {@value #DIVERGENCE_FACTOR} × max(the loss of the first step, ln C), C
 * being the number of classes. ln C is the loss of a uniform guess, which keeps a run that starts with a tiny loss
 * (QAT from a well-trained float model) from failing on a modest rise; a run that ends ten times worse than both
 * where it started and a guess has learnt nothing and must not be stored as a measurement.
 */
public final class Trainer {
    /** An epoch whose mean loss is above this many times max(first step's loss, ln classes) diverged. */
    public static final double DIVERGENCE_FACTOR = 10;

    private Trainer() {
    }

    /** Trains a float baseline {@code net} in place; returns one report per (possibly partial) epoch. */
    public static List<EpochReport> train(Network net, INDArray images, int[] labels, TrainConfig cfg, long seed,
                                          EpochListener listener) {
        return train(net, Nd4jArrays.tensor(images), labels, cfg, seed, TrainingRun.FLOAT_BASELINE, listener,
                StepHook.NONE);
    }

    /** Trains a float baseline with a hook called at every step. */
    public static List<EpochReport> train(Network net, INDArray images, int[] labels, TrainConfig cfg, long seed,
                                          EpochListener listener, StepHook hook) {
        return train(net, Nd4jArrays.tensor(images), labels, cfg, seed, TrainingRun.FLOAT_BASELINE, listener, hook);
    }

    /** Trains a float baseline on heap images {@code [N, C, H, W]} (no copy of the whole set). */
    public static List<EpochReport> train(Network net, Tensor images, int[] labels, TrainConfig cfg, long seed,
                                          EpochListener listener, StepHook hook) {
        return train(net, images, labels, cfg, seed, TrainingRun.FLOAT_BASELINE, listener, hook);
    }

    /**
     * Trains {@code net} in place on heap images {@code [N, C, H, W]} (no copy of the whole set).
     *
     * @param run      which loop this is: its shuffle purpose and divergence message
     * @param listener called after every (possibly partial) epoch, before the next one starts
     * @param hook     called at every step
     * @return one report per (possibly partial) epoch
     * @throws NumericalFailureException if a batch's loss is not finite, naming the epoch, the step and what to do
     */
    public static List<EpochReport> train(Network net, Tensor images, int[] labels, TrainConfig cfg, long seed,
                                          TrainingRun run, EpochListener listener, StepHook hook) {
        if (net == null || images == null || cfg == null || run == null || listener == null || hook == null) {
            throw new IllegalArgumentException("train needs a network, images, labels, a config, a run, a listener"
                    + " and a hook (use EpochListener.NONE / StepHook.NONE for none)");
        }
        int n = images.dim(0);
        if (labels == null || labels.length != n) {
            throw new IllegalArgumentException("need one label per image: " + n + " images, "
                    + (labels == null ? "no" : String.valueOf(labels.length)) + " labels");
        }
        if (n == 0) {
            throw new IllegalArgumentException("cannot train on an empty set; pass at least one image");
        }
        int perImage = images.size() / n;
        int[] imageShape = images.shape();
        int batchesPerEpoch = (n + cfg.batch() - 1) / cfg.batch();
        long totalSteps = Math.max(1, Math.round(cfg.epochs() * batchesPerEpoch));
        Optimizer opt = cfg.optimizer().create(net.params(), cfg.lr());
        List<EpochReport> reports = new ArrayList<>();
        float[] src = images.data();
        long step = 0;
        double firstLoss = Double.NaN;
        int classes = 0;
        for (int epoch = 0; step < totalSteps; epoch++) {
            long t0 = System.nanoTime();
            int[] order = Seeds.permutation(n, seed, run.order().epoch(epoch));
            double lossSum = 0;
            long correct = 0;
            long seen = 0;
            int steps = 0;
            for (int from = 0; from < n && step < totalSteps; from += cfg.batch(), step++, steps++) {
                int to = Math.min(n, from + cfg.batch());
                int b = to - from;
                float[] xb = new float[b * perImage];
                int[] yb = new int[b];
                for (int i = 0; i < b; i++) {
                    int idx = order[from + i];
                    System.arraycopy(src, idx * perImage, xb, i * perImage, perImage);
                    yb[i] = labels[idx];
                }
                int[] shape = imageShape.clone();
                shape[0] = b;
                hook.beforeStep(net, epoch + 1, step);
                opt.zeroGrad();
                Tensor logits = net.forward(new Tensor(xb, shape), true);
                SoftmaxCrossEntropy.Result r = SoftmaxCrossEntropy.compute(logits, yb);
                if (!Double.isFinite(r.loss())) {
                    throw new NumericalFailureException(run.name() + " of " + net.architecture() + " diverged at epoch "
                            + (epoch + 1) + ", step " + step + " (loss " + r.loss() + ", lr " + cfg.lr() + "); "
                            + run.advice());
                }
                if (step == 0) {
                    firstLoss = r.loss();
                    classes = logits.dim(1);
                }
                net.backward(r.gradLogits(), false);
                hook.afterBackward(net, step);
                opt.step();
                hook.afterStep(net, step, r.loss());
                lossSum += r.loss() * b;
                correct += r.correct();
                seen += b;
            }
            EpochReport rep = new EpochReport(epoch + 1, steps, lossSum / seen, (double) correct / seen,
                    (System.nanoTime() - t0) / 1e9);
            reports.add(rep);
            listener.onEpoch(rep);
            double limit = DIVERGENCE_FACTOR * Math.max(firstLoss, Math.log(classes));
            if (rep.meanLoss() > limit) {
                throw new NumericalFailureException(run.name() + " of " + net.architecture() + " diverged: the mean"
                        + " loss of epoch " + rep.epoch() + " is " + rep.meanLoss() + ", more than "
                        + DIVERGENCE_FACTOR + " × max(first step's loss " + firstLoss + ", ln " + classes + " = "
                        + Math.log(classes) + ") (lr " + cfg.lr() + "); " + run.advice());
            }
        }
        return reports;
    }
}
