package org.ternsweep.methods;

/**
 * Adam (Kingma &amp; Ba 2015, "Adam: A method for stochastic optimization") on the rounding variables V
 * of one {@link SoftRounding}, entry by entry inside the rounding's own pass over its weights
 * ({@link SoftRounding#learnStep}): the reconstruction runs thousands of steps per layer, so per-element
 * INDArray calls, or even a separate pass through a gradient array, would dominate. β₁ = 0.9, β₂ = 0.999,
 * ε = 1e-8 as in the paper and in AdaRound's reference implementation. Only learned entries move. Not thread-safe.
 */
final class VectorAdam {
    private static final double BETA1 = 0.9;
    private static final double BETA2 = 0.999;
    private static final double EPS = 1e-8;

    private final double lr;
    private final double[] m;
    private final double[] s;
    private int t;
    /** lr·√(1−β₂ᵗ)/(1−β₁ᵗ) of the current step. */
    private double stepSize;
    /** ε·√(1−β₂ᵗ) of the current step. */
    private double epsHat;

    VectorAdam(int size, double lr) {
        if (!(lr > 0) || !Double.isFinite(lr)) {
            throw new IllegalArgumentException("Adam learning rate must be finite and > 0, got " + lr
                    + "; set 'lr' in the method options");
        }
        this.lr = lr;
        this.m = new double[size];
        this.s = new double[size];
    }

    /**
     * Starts a step, then done entry by entry with {@link #update}: advances the step count and the bias
     * corrections.
     */
    void begin() {
        t++;
        double c1 = 1 - Math.pow(BETA1, t);
        double c2 = 1 - Math.pow(BETA2, t);
        stepSize = lr * Math.sqrt(c2) / c1;
        epsHat = EPS * Math.sqrt(c2);
    }

    /** The Adam update of entry {@code i} at value {@code x} with gradient {@code g}, after {@link #begin}; returns the new value. */
    double update(int i, double x, double g) {
        double mi = BETA1 * m[i] + (1 - BETA1) * g;
        double si = BETA2 * s[i] + (1 - BETA2) * g * g;
        m[i] = mi;
        s[i] = si;
        return x - stepSize * mi / (Math.sqrt(si) + epsHat);
    }
}
