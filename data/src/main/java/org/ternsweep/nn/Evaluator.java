package org.ternsweep.nn;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Top-1 accuracy and mean cross-entropy of a network on a labelled set, in inference mode on the
 * BN-folded network (spec §3: quantization acts on the folded network, so evaluation does too).
 */
public final class Evaluator {
    private Evaluator() {
    }

    /** What an evaluation measured. */
    public record Evaluation(double accuracy, double crossEntropy, double seconds, int count) {
        public Evaluation {
            if (!(accuracy >= 0 && accuracy <= 1) || count < 0 || seconds < 0) {
                throw new IllegalArgumentException("invalid evaluation: accuracy " + accuracy + ", count " + count
                        + ", seconds " + seconds);
            }
        }
    }

    /** Evaluates on INDArray images {@code [N, 1, H, W]} in batches of {@code batch}. */
    public static Evaluation evaluate(Network net, INDArray images, int[] labels, int batch) {
        return evaluate(net, Tensor.of(images), labels, batch);
    }

    /** Evaluates on heap images; {@code seconds} covers folding and all forward passes. */
    public static Evaluation evaluate(Network net, Tensor images, int[] labels, int batch) {
        if (batch < 1) {
            throw new IllegalArgumentException("evaluation batch must be >= 1, got " + batch);
        }
        int n = images.dim(0);
        if (labels == null || labels.length != n) {
            throw new IllegalArgumentException("need one label per image: " + n + " images, "
                    + (labels == null ? "no" : String.valueOf(labels.length)) + " labels");
        }
        if (n == 0) {
            throw new IllegalArgumentException("cannot evaluate on an empty set; pass at least one image");
        }
        long t0 = System.nanoTime();
        Network folded = net.hasBatchNorm() ? net.foldBatchNorm() : net;
        double loss = 0;
        long correct = 0;
        for (int from = 0; from < n; from += batch) {
            int to = Math.min(n, from + batch);
            Tensor logits = folded.forward(images.slice(from, to), false);
            int[] y = java.util.Arrays.copyOfRange(labels, from, to);
            SoftmaxCrossEntropy.Result r = SoftmaxCrossEntropy.compute(logits, y);
            loss += r.loss() * (to - from);
            correct += r.correct();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        return new Evaluation((double) correct / n, loss / n, seconds, n);
    }
}
