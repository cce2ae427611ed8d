package org.ternsweep.methods;

/**
 * Adam (Kingma &amp; Ba 2015, "Adam: A method for stochastic optimization") on the rounding variables V
 * of one {@link SoftRounding}, in plain double loops: the reconstruction runs thousands of steps per
 * layer, so per-element INDArray calls would dominate. β₁ = 0.9, β₂ = 0.999, ε = 1e-8 as in the paper
 * and in AdaRound's reference implementation. Only learned entries move. Not thread-safe.
 */
final class VectorAdam {
    private static final double BETA1 = 0.9;
    private static final double BETA2 = 0.999;
    private static final double EPS = 1e-8;

    private final double lr;
    private final double[] m;
    private final double[] s;
    private int t;

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
     * One step: {@code x ← x − lr·m̂/(√ŝ + ε)} on the entries where {@code mask} is true.
     *
     * @return false if the sum of the updated entries is not finite (some entry may be NaN or infinite,
     *         check them); true guarantees every updated entry is finite
     */
    boolean step(double[] x, double[] grad, boolean[] mask) {
        t++;
        double c1 = 1 - Math.pow(BETA1, t);
        double c2 = 1 - Math.pow(BETA2, t);
        double a = lr * Math.sqrt(c2) / c1;
        double epsHat = EPS * Math.sqrt(c2);
        double sum = 0;
        for (int i = 0; i < x.length; i++) {
            if (!mask[i]) {
                continue;
            }
            double g = grad[i];
            m[i] = BETA1 * m[i] + (1 - BETA1) * g;
            s[i] = BETA2 * s[i] + (1 - BETA2) * g * g;
            double xi = x[i] - a * m[i] / (Math.sqrt(s[i]) + epsHat);
            x[i] = xi;
            sum += xi;
        }
        return Double.isFinite(sum);
    }
}
