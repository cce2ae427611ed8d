package org.ternsweep.engine;

import java.util.Arrays;
import java.util.List;

/**
 * Batch normalisation over NCHW activations (Ioffe &amp; Szegedy 2015), with PyTorch's conventions:
 * eps 1e-5, momentum 0.1 ({@code running = 0.9·running + 0.1·batch}), the running variance updated
 * with the unbiased batch variance while normalisation uses the biased one. Training mode normalises
 * with batch statistics and updates the running ones; inference mode uses the running statistics.
 * γ and β are trainable {@link Param}s ({@code <name>.gamma}, {@code <name>.beta}); the running
 * statistics are state, not parameters.
 */
public final class BatchNorm2d extends Layer {
    /** PyTorch's default epsilon. */
    public static final double EPS = 1e-5;
    /** PyTorch's default momentum. */
    public static final double MOMENTUM = 0.1;

    private final int channels;
    private final Param gamma;
    private final Param beta;
    private final float[] runningMean;
    private final float[] runningVar;
    private float[] lastInput;
    private float[] lastMean;
    private float[] invStd;
    private float[] lastGamma;
    private boolean lastTraining;
    private int[] lastShape;

    /** γ = 1, β = 0, running mean 0, running variance 1. */
    public BatchNorm2d(String name, int channels) {
        this(name, filled(channels, 1f), new float[channels], new float[channels], filled(channels, 1f));
    }

    /** A BatchNorm with the given γ, β, running mean and running variance (one value per channel, copied). */
    public BatchNorm2d(String name, float[] gamma, float[] beta, float[] runningMean, float[] runningVar) {
        super(name);
        if (gamma == null || beta == null || runningMean == null || runningVar == null) {
            throw new IllegalArgumentException("batchnorm " + name + " needs gamma, beta, running mean and variance");
        }
        this.channels = gamma.length;
        for (float[] a : new float[][] {beta, runningMean, runningVar}) {
            if (a.length != channels) {
                throw new IllegalArgumentException("batchnorm " + name + ": gamma has " + channels
                        + " values but beta/mean/var have " + a.length);
            }
        }
        this.gamma = new Param(name + ".gamma", new Tensor(gamma, channels));
        this.beta = new Param(name + ".beta", new Tensor(beta, channels));
        this.runningMean = runningMean.clone();
        this.runningVar = runningVar.clone();
    }

    private static float[] filled(int n, float v) {
        float[] a = new float[n];
        Arrays.fill(a, v);
        return a;
    }

    public int channels() {
        return channels;
    }

    public Param gamma() {
        return gamma;
    }

    public Param beta() {
        return beta;
    }

    /** Running mean, one value per channel (mutable state, shared). */
    public float[] runningMean() {
        return runningMean;
    }

    /** Running variance, one value per channel (mutable state, shared). */
    public float[] runningVar() {
        return runningVar;
    }

    @Override
    public List<Param> params() {
        return List.of(gamma, beta);
    }

    @Override
    public BatchNorm2d copy() {
        BatchNorm2d b = new BatchNorm2d(name(), gamma.valueFloats(), beta.valueFloats(), runningMean, runningVar);
        b.bindLike(this);
        return b;
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        requireRank(x, 4, name(), "[N, " + channels + ", H, W]");
        if (x.dim(1) != channels) {
            throw new IllegalArgumentException("batchnorm " + name() + " expects " + channels + " channels but got "
                    + x);
        }
        int n = x.dim(0);
        int hw = x.dim(2) * x.dim(3);
        float[] xv = x.data();
        float[] g = gamma.valueFloats();
        float[] b = beta.valueFloats();
        Engine engine = engine();
        float[] mean = new float[channels];
        float[] var = new float[channels];
        if (training) {
            long m = (long) n * hw;
            if (m < 2) {
                throw new IllegalArgumentException("batchnorm " + name() + " in training mode needs more than one "
                        + "value per channel; use a batch of at least 2");
            }
            // per-(image, channel) partial sums in parallel, reduced in image order: deterministic
            double[] part = new double[n * channels];
            engine.forEach(n, (long) channels * hw, i -> {
                for (int c = 0; c < channels; c++) {
                    int base = (i * channels + c) * hw;
                    part[i * channels + c] = sum(xv, base, base + hw);
                }
            });
            double[] mu = new double[channels];
            for (int i = 0; i < n; i++) {
                for (int c = 0; c < channels; c++) {
                    mu[c] += part[i * channels + c];
                }
            }
            for (int c = 0; c < channels; c++) {
                mu[c] /= m;
            }
            engine.forEach(n, (long) channels * hw, i -> {
                for (int c = 0; c < channels; c++) {
                    int base = (i * channels + c) * hw;
                    part[i * channels + c] = sumSquaredDeviations(xv, base, base + hw, (float) mu[c]);
                }
            });
            float[] rm = runningMean;
            float[] rv = runningVar;
            for (int c = 0; c < channels; c++) {
                double ss = 0;
                for (int i = 0; i < n; i++) {
                    ss += part[i * channels + c];
                }
                mean[c] = (float) mu[c];
                var[c] = (float) (ss / m);
                rm[c] = (float) ((1 - MOMENTUM) * rm[c] + MOMENTUM * mu[c]);
                rv[c] = (float) ((1 - MOMENTUM) * rv[c] + MOMENTUM * ss / (m - 1));
            }
        } else {
            mean = runningMean.clone();
            var = runningVar.clone();
        }
        float[] inv = new float[channels];
        for (int c = 0; c < channels; c++) {
            inv[c] = (float) (1.0 / Math.sqrt(var[c] + EPS));
        }
        float[] y = new float[xv.length];
        float[] meanF = mean;
        engine.forEach(n, (long) channels * hw, i -> {
            for (int c = 0; c < channels; c++) {
                int base = (i * channels + c) * hw;
                float mu = meanF[c];
                float scale = g[c] * inv[c];
                float shift = b[c] - mu * scale;
                for (int q = base; q < base + hw; q++) {
                    y[q] = xv[q] * scale + shift;
                }
            }
        });
        lastInput = xv;
        lastMean = mean;
        invStd = inv;
        lastGamma = g;
        lastTraining = training;
        lastShape = x.shape();
        return new Tensor(y, lastShape);
    }

    /*
     * The reductions below keep eight independent float accumulators, combined in double in a fixed order:
     * one accumulator makes every add wait for the previous one (latency-bound), eight let the CPU overlap
     * them and C2 keeps them in registers. The order is fixed, so results stay bitwise reproducible.
     */

    /**
     * Sum of {@code a[from..to)}: eight float accumulators combined in double. Each accumulator sums at most a
     * plane's worth of values (hundreds), so float rounding stays near 1e-6 relative; double accumulators
     * would be slower (docs/BENCHMARKS.md, "Engine comments"). Fixed order: deterministic.
     */
    static double sum(float[] a, int from, int to) {
        float s0 = 0;
        float s1 = 0;
        float s2 = 0;
        float s3 = 0;
        float s4 = 0;
        float s5 = 0;
        float s6 = 0;
        float s7 = 0;
        int q = from;
        for (; q + 7 < to; q += 8) {
            s0 += a[q];
            s1 += a[q + 1];
            s2 += a[q + 2];
            s3 += a[q + 3];
            s4 += a[q + 4];
            s5 += a[q + 5];
            s6 += a[q + 6];
            s7 += a[q + 7];
        }
        double r = combine(s0, s1, s2, s3, s4, s5, s6, s7);
        for (; q < to; q++) {
            r += a[q];
        }
        return r;
    }

    private static double combine(float s0, float s1, float s2, float s3, float s4, float s5, float s6,
                                  float s7) {
        return (((double) s0 + s1) + ((double) s2 + s3)) + (((double) s4 + s5) + ((double) s6 + s7));
    }

    /**
     * Σ (a − mu)² over {@code a[from..to)}, accumulated like {@link #sum}. The three reductions spell out
     * their eight accumulators on purpose: a shared helper with an accumulator array keeps them in memory
     * rather than registers (docs/BENCHMARKS.md, "Engine comments"), and one taking a lambda per element
     * would not be inlined.
     */
    private static double sumSquaredDeviations(float[] a, int from, int to, float mu) {
        float s0 = 0;
        float s1 = 0;
        float s2 = 0;
        float s3 = 0;
        float s4 = 0;
        float s5 = 0;
        float s6 = 0;
        float s7 = 0;
        int q = from;
        for (; q + 7 < to; q += 8) {
            float d0 = a[q] - mu;
            float d1 = a[q + 1] - mu;
            float d2 = a[q + 2] - mu;
            float d3 = a[q + 3] - mu;
            float d4 = a[q + 4] - mu;
            float d5 = a[q + 5] - mu;
            float d6 = a[q + 6] - mu;
            float d7 = a[q + 7] - mu;
            s0 += d0 * d0;
            s1 += d1 * d1;
            s2 += d2 * d2;
            s3 += d3 * d3;
            s4 += d4 * d4;
            s5 += d5 * d5;
            s6 += d6 * d6;
            s7 += d7 * d7;
        }
        double r = combine(s0, s1, s2, s3, s4, s5, s6, s7);
        for (; q < to; q++) {
            float d = a[q] - mu;
            r += d * d;
        }
        return r;
    }

    /** Σ g · (x − mu) · is over {@code [from, to)}, accumulated like {@link #sum}. */
    private static double sumTimesNormalised(float[] g, float[] x, int from, int to, float mu, float is) {
        float s0 = 0;
        float s1 = 0;
        float s2 = 0;
        float s3 = 0;
        float s4 = 0;
        float s5 = 0;
        float s6 = 0;
        float s7 = 0;
        int q = from;
        for (; q + 7 < to; q += 8) {
            s0 += g[q] * ((x[q] - mu) * is);
            s1 += g[q + 1] * ((x[q + 1] - mu) * is);
            s2 += g[q + 2] * ((x[q + 2] - mu) * is);
            s3 += g[q + 3] * ((x[q + 3] - mu) * is);
            s4 += g[q + 4] * ((x[q + 4] - mu) * is);
            s5 += g[q + 5] * ((x[q + 5] - mu) * is);
            s6 += g[q + 6] * ((x[q + 6] - mu) * is);
            s7 += g[q + 7] * ((x[q + 7] - mu) * is);
        }
        double r = combine(s0, s1, s2, s3, s4, s5, s6, s7);
        for (; q < to; q++) {
            r += g[q] * ((x[q] - mu) * is);
        }
        return r;
    }

    @Override
    public Tensor backward(Tensor gradOut) {
        if (lastInput == null) {
            throw noForward(name());
        }
        if (gradOut.size() != lastInput.length) {
            throw new IllegalArgumentException("batchnorm " + name() + " backward got " + gradOut
                    + " after a forward of " + Arrays.toString(lastShape));
        }
        int n = lastShape[0];
        int hw = lastShape[2] * lastShape[3];
        float[] gv = gradOut.data();
        float[] xv = lastInput;
        // x̂ is recomputed from the cached input rather than stored: one array less to write and read
        double[] pg = new double[n * channels];
        double[] pgx = new double[n * channels];
        Engine engine = engine();
        engine.forEach(n, (long) channels * hw, i -> {
            for (int c = 0; c < channels; c++) {
                int base = (i * channels + c) * hw;
                pg[i * channels + c] = sum(gv, base, base + hw);
                pgx[i * channels + c] = sumTimesNormalised(gv, xv, base, base + hw, lastMean[c], invStd[c]);
            }
        });
        double[] sg = new double[channels];
        double[] sgx = new double[channels];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < channels; c++) {
                sg[c] += pg[i * channels + c];
                sgx[c] += pgx[i * channels + c];
            }
        }
        float[] dgamma = new float[channels];
        float[] dbeta = new float[channels];
        for (int c = 0; c < channels; c++) {
            dbeta[c] = (float) sg[c];
            dgamma[c] = (float) sgx[c];
        }
        float[] dx = new float[gv.length];
        double m = (double) n * hw;
        engine.forEach(n, (long) channels * hw, i -> {
            for (int c = 0; c < channels; c++) {
                int base = (i * channels + c) * hw;
                float k = lastGamma[c] * invStd[c];
                if (lastTraining) {
                    float mu = lastMean[c];
                    float is = invStd[c];
                    float meanG = (float) (sg[c] / m);
                    float meanGx = (float) (sgx[c] / m);
                    for (int q = base; q < base + hw; q++) {
                        dx[q] = k * (gv[q] - meanG - (xv[q] - mu) * is * meanGx);
                    }
                } else {
                    for (int q = base; q < base + hw; q++) {
                        dx[q] = k * gv[q];
                    }
                }
            }
        });
        gamma.accumulate(dgamma);
        beta.accumulate(dbeta);
        return new Tensor(dx, lastShape);
    }
}
