package org.ternsweep.engine;

/**
 * Folds an inference-mode BatchNorm into the conv before it (Jacob et al. 2018, "Quantization and
 * training of neural networks for efficient integer-arithmetic-only inference", §3.2; spec §3):
 * {@code w' = w·γ/σ}, {@code b' = β + (b − μ)·γ/σ}, {@code σ = sqrt(var + eps)}. The folded conv keeps
 * the conv's name and its engine binding, and always has a bias.
 */
final class BatchNormFolding {
    private BatchNormFolding() {
    }

    static Conv2d fold(Conv2d conv, BatchNorm2d bn) {
        int out = conv.outChannels();
        if (bn.channels() != out) {
            throw new IllegalArgumentException("cannot fold " + bn.name() + " (" + bn.channels() + " channels) into "
                    + conv.name() + " (" + out + " output channels)");
        }
        float[] w = conv.weight().valueFloats().clone();
        float[] b = conv.bias() == null ? new float[out] : conv.bias().valueFloats();
        float[] g = bn.gamma().valueFloats();
        float[] beta = bn.beta().valueFloats();
        float[] mu = bn.runningMean();
        float[] var = bn.runningVar();
        int per = w.length / out;
        float[] nb = new float[out];
        for (int o = 0; o < out; o++) {
            double scale = g[o] / Math.sqrt(var[o] + BatchNorm2d.EPS);
            for (int i = o * per; i < (o + 1) * per; i++) {
                w[i] = (float) (w[i] * scale);
            }
            nb[o] = (float) (beta[o] + (b[o] - mu[o]) * scale);
        }
        Conv2d folded = new Conv2d(conv.name(), new Tensor(w, conv.weight().shape()), nb, conv.stride(), conv.pad(),
                conv.groups(), conv.activation());
        folded.bindLike(conv);
        return folded;
    }
}
