package org.ternsweep.engine;

/**
 * Softmax followed by cross-entropy, averaged over the batch (PyTorch's {@code cross_entropy} with
 * mean reduction). Computed in a numerically stable way (log-sum-exp with the row maximum).
 */
public final class SoftmaxCrossEntropy {
    private SoftmaxCrossEntropy() {
    }

    /**
     * The mean loss, dL/dlogits ({@code (softmax − onehot) / N}) and the number of correct argmax
     * predictions (ties go to the lowest class).
     */
    public record Result(double loss, Tensor gradLogits, int correct) {
        public Result {
            if (gradLogits == null) {
                throw new IllegalArgumentException("gradLogits must not be null");
            }
        }
    }

    /** Loss and gradient for logits {@code [N, classes]}. */
    public static Result compute(Tensor logits, int[] labels) {
        if (logits.rank() != 2) {
            throw new IllegalArgumentException("logits must be [N, classes] but got " + logits);
        }
        int n = logits.dim(0);
        int k = logits.dim(1);
        if (labels == null || labels.length != n) {
            throw new IllegalArgumentException("need one label per row: " + n + " rows but "
                    + (labels == null ? "no" : String.valueOf(labels.length)) + " labels");
        }
        if (n == 0) {
            throw new IllegalArgumentException("cross-entropy of an empty batch is undefined; pass at least one row");
        }
        float[] z = logits.data();
        float[] g = new float[z.length];
        double total = 0;
        int correct = 0;
        for (int i = 0; i < n; i++) {
            int y = labels[i];
            if (y < 0 || y >= k) {
                throw new IllegalArgumentException("label " + y + " at row " + i + " is outside 0.." + (k - 1));
            }
            int base = i * k;
            float max = z[base];
            int arg = 0;
            for (int j = 1; j < k; j++) {
                if (z[base + j] > max) {
                    max = z[base + j];
                    arg = j;
                }
            }
            if (arg == y) {
                correct++;
            }
            double sum = 0;
            for (int j = 0; j < k; j++) {
                double e = Math.exp(z[base + j] - max);
                g[base + j] = (float) e;
                sum += e;
            }
            total += Math.log(sum) - (z[base + y] - max);
            for (int j = 0; j < k; j++) {
                g[base + j] = (float) (g[base + j] / sum / n);
            }
            g[base + y] -= 1f / n;
        }
        return new Result(total / n, new Tensor(g, n, k), correct);
    }
}
