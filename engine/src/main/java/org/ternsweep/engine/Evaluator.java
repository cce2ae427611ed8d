package org.ternsweep.engine;

import java.util.Arrays;

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

    /**
     * Evaluates on images {@code [N, 1, H, W]} in batches of {@code batch}; {@code seconds} covers folding and
     * all forward passes.
     */
    public static Evaluation evaluate(Network net, Tensor images, int[] labels, int batch) {
        int[] shape = images.shape();
        if (labels == null || labels.length != shape[0]) {
            throw new IllegalArgumentException("need one label per image: " + shape[0] + " images, "
                    + (labels == null ? "no" : String.valueOf(labels.length)) + " labels");
        }
        return evaluate(net, images.data(), Arrays.copyOfRange(shape, 1, shape.length), labels, batch);
    }

    /**
     * Evaluates on the first {@code labels.length} images of a flat C-order array (a dataset's own storage),
     * each of shape {@code imageShape} (e.g. {@code [1, 28, 28]}). Only one batch at a time is copied, so a
     * caller holding the images as {@code float[]} needs no tensor of the whole set.
     */
    public static Evaluation evaluate(Network net, float[] images, int[] imageShape, int[] labels, int batch) {
        if (batch < 1) {
            throw new IllegalArgumentException("evaluation batch must be >= 1, got " + batch);
        }
        if (images == null || imageShape == null || imageShape.length == 0) {
            throw new IllegalArgumentException("evaluation needs images and a per-image shape such as [1, 28, 28]");
        }
        int per = 1;
        for (int s : imageShape) {
            per *= s;
        }
        int n = labels == null ? 0 : labels.length;
        if (per < 1 || (long) n * per > images.length) {
            throw new IllegalArgumentException("evaluation: " + n + " labels need " + ((long) n * per)
                    + " image values of shape " + Arrays.toString(imageShape) + " but the image array holds "
                    + images.length + "; pass one label per image");
        }
        int[] batchShape = new int[imageShape.length + 1];
        System.arraycopy(imageShape, 0, batchShape, 1, imageShape.length);
        if (n == 0) {
            throw new IllegalArgumentException("cannot evaluate on an empty set; pass at least one image");
        }
        long t0 = System.nanoTime();
        Network folded = net.hasBatchNorm() ? net.foldBatchNorm() : net;
        double loss = 0;
        long correct = 0;
        for (int from = 0; from < n; from += batch) {
            int to = Math.min(n, from + batch);
            batchShape[0] = to - from;
            Tensor logits = folded.forward(new Tensor(Arrays.copyOfRange(images, from * per, to * per), batchShape),
                    false);
            int[] y = Arrays.copyOfRange(labels, from, to);
            SoftmaxCrossEntropy.Result r = SoftmaxCrossEntropy.compute(logits, y);
            loss += r.loss() * (to - from);
            correct += r.correct();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        return new Evaluation((double) correct / n, loss / n, seconds, n);
    }
}
