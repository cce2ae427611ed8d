package org.ternsweep.methods;

import org.ternsweep.core.NumericalFailureException;
import org.ternsweep.quant.TernaryFit;

/**
 * The learnable rounding of one ternary weight tensor (spec §4.2; Nagel et al. 2020, "Up or Down?
 * Adaptive Rounding for Post-Training Quantization", §3.3, adapted to the ternary codebook).
 *
 * <p>Each weight w chooses between its two neighbouring codebook points 0 and sign(w)·λ, where λ is the
 * operator's level of its group and sign (the operator's fit; never learned). The soft weight is
 * {@code W̃ = sign(w)·λ·h(V)} with the rectified sigmoid {@code h(V) = clip(σ(V)·(ζ−γ)+γ, 0, 1)},
 * ζ = 1.1, γ = −0.1. Weights the soft rounding cannot move are fixed: a weight coded ±1 with |w| > λ is
 * pinned to sign(w)·λ, and a zero weight or a weight of an all-zero group (λ = 0) stays 0.
 *
 * <p>Initialisation places h(V) at the position r of |w| between 0 and λ, bent so that the operator's
 * threshold t sits at 0.5: r = 0.5·|w|/t for |w| ≤ t, r = 0.5 + 0.5·(|w|−t)/(λ−t) above. So that hard
 * rounding at initialisation ({@code h ≥ 0.5}) reproduces the operator's codes exactly — also at
 * |w| == t, which codes to 0 while r would be exactly 0.5 — r is kept at least {@value #MARGIN} on the
 * operator's side of 0.5. For r in [0, 1] the sigmoid's argument stays in [1/12, 11/12], so V is finite.
 *
 * <p>Hot loops work on plain arrays (V in double, the soft weight in float for the engine's layers).
 * Not thread-safe.
 */
public final class SoftRounding {
    /** ζ, the rectified sigmoid's upper stretch. */
    public static final double ZETA = 1.1;
    /** γ, the rectified sigmoid's lower stretch. */
    public static final double GAMMA = -0.1;
    /** How far from 0.5 the initial h stays on the operator's side, so init codes match the operator. */
    static final double MARGIN = 1e-6;

    /**
     * Below this V the rectified sigmoid is clipped to 0 for certain: σ(V)·(ζ−γ)+γ = 0 at V = −ln 11, and the
     * 1e-3 margin is far wider than the rounding error of evaluating it. Above {@link #V_ONE} it is clipped
     * to 1. There h and dh/dV are exact constants, so the hot loops skip the exponential.
     */
    static final double V_ZERO = -Math.log(11) - 1e-3;
    /** Above this V the rectified sigmoid is clipped to 1 for certain (see {@link #V_ZERO}). */
    static final double V_ONE = Math.log(11) + 1e-3;

    private final String layer;
    private final float[] weight;
    /** +1, −1, or 0 for a weight that stays 0. */
    private final byte[] sign;
    /** sign(w)·λ of the weight's group and sign. */
    private final float[] level;
    /** Whether the weight is learned; otherwise its code is fixed (pinned or zero). */
    private final boolean[] learned;
    private final double[] v;
    /** σ(V) of every learned weight as of the last {@link #softWeight}, reused by {@link #gradientAfterSoftWeight}. */
    private final double[] sigmoid;

    /**
     * Soft rounding initialised from the float weights and the operator's fit on them.
     *
     * @param layer  the layer's name, for error messages
     * @param weight the float weights in C order (copied)
     * @param fit    the operator's fit of exactly these weights
     * @throws IllegalArgumentException if the fit does not describe a tensor of {@code weight.length} values
     */
    public SoftRounding(String layer, float[] weight, TernaryFit fit) {
        if (weight == null || fit == null) {
            throw new IllegalArgumentException("soft rounding of layer " + layer + " needs its weights and the operator's fit");
        }
        if (fit.layout().length() != weight.length) {
            throw new IllegalArgumentException("layer " + layer + ": the fit describes " + fit.layout().length()
                    + " weights but the layer has " + weight.length + "; fit the operator on this layer's weights");
        }
        this.layer = layer;
        this.weight = weight.clone();
        int n = weight.length;
        this.sign = new byte[n];
        this.level = new float[n];
        this.learned = new boolean[n];
        this.v = new double[n];
        this.sigmoid = new double[n];
        int[] group = fit.layout().groupIndex();
        for (int i = 0; i < n; i++) {
            int g = group[i];
            double w = weight[i];
            int code = fit.code(g, w);
            double lam = w > 0 ? fit.lambda(g) : fit.negativeLambda(g);
            double t = w > 0 ? fit.threshold(g) : fit.negativeThreshold(g);
            double a = Math.abs(w);
            sign[i] = (byte) (w > 0 ? 1 : w < 0 ? -1 : 0);
            level[i] = (float) (sign[i] * lam);
            if (w == 0 || lam == 0) {
                learned[i] = false;
                v[i] = code == 0 ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
                continue;
            }
            if (code != 0 && a > lam) {
                learned[i] = false;
                v[i] = Double.POSITIVE_INFINITY;
                continue;
            }
            learned[i] = true;
            v[i] = initialV(a, t, lam, code != 0);
        }
    }

    /** V such that h(V) = r, with r the bent position of |w| and kept on the operator's side of 0.5. */
    static double initialV(double a, double t, double lam, boolean codedNonZero) {
        double r;
        if (a <= t) {
            r = t > 0 ? 0.5 * a / t : 0.0;
        } else if (lam > t) {
            r = 0.5 + 0.5 * (a - t) / (lam - t);
        } else {
            r = 1.0;
        }
        r = Math.min(1.0, Math.max(0.0, r));
        r = codedNonZero ? Math.max(r, 0.5 + MARGIN) : Math.min(r, 0.5 - MARGIN);
        double p = (r - GAMMA) / (ZETA - GAMMA);
        p = Math.min(1 - 1e-12, Math.max(1e-12, p));
        return Math.log(p / (1 - p));
    }

    /**
     * σ(V), or 0 / 1 where the rectified sigmoid is clipped for certain ({@link #V_ZERO}, {@link #V_ONE}):
     * h and dh/dV computed from it are then bitwise those from the true σ(V) (0 or 1, and 0).
     */
    static double sigmoidOrClip(double v) {
        if (v < V_ZERO) {
            return 0.0;
        }
        if (v > V_ONE) {
            return 1.0;
        }
        return 1.0 / (1.0 + Math.exp(-v));
    }

    /** h(V) = clip(σ(V)·(ζ−γ)+γ, 0, 1). */
    static double h(double v) {
        double s = 1.0 / (1.0 + Math.exp(-v));
        return Math.min(1.0, Math.max(0.0, s * (ZETA - GAMMA) + GAMMA));
    }

    /** dh/dV: zero where the clip is active. */
    static double dh(double v) {
        double s = 1.0 / (1.0 + Math.exp(-v));
        double y = s * (ZETA - GAMMA) + GAMMA;
        return y <= 0 || y >= 1 ? 0.0 : s * (1 - s) * (ZETA - GAMMA);
    }

    /** The layer this rounding belongs to. */
    public String layer() {
        return layer;
    }

    /** Number of weights. */
    public int size() {
        return weight.length;
    }

    /** Number of learned (not pinned, not zero) weights. */
    public int learnedCount() {
        int c = 0;
        for (boolean b : learned) {
            if (b) {
                c++;
            }
        }
        return c;
    }

    /** The current V of every weight (±∞ for fixed weights); a copy. */
    public double[] v() {
        return v.clone();
    }

    /** The rounding variables, shared (call {@link #softWeight} after changing them, before a gradient). */
    double[] variables() {
        return v;
    }

    /** Which entries of {@link #variables()} are learned; shared, do not modify. */
    boolean[] learnedMask() {
        return learned;
    }

    /**
     * Writes the soft weight W̃ = sign(w)·λ·h(V) into {@code out} (C order) and keeps σ(V) of every learned
     * weight for {@link #gradientAfterSoftWeight}, so a reconstruction step evaluates the sigmoid once.
     */
    public void softWeight(float[] out) {
        for (int i = 0; i < out.length; i++) {
            if (!learned[i]) {
                out[i] = v[i] > 0 ? level[i] : 0f;
                continue;
            }
            double s = sigmoidOrClip(v[i]);
            sigmoid[i] = s;
            double hv = Math.min(1.0, Math.max(0.0, s * (ZETA - GAMMA) + GAMMA));
            out[i] = (float) (level[i] * hv);
        }
    }

    /**
     * The gradient with respect to V of {@code loss + reg·Σ(1 − |2h−1|^β)}, given dLoss/dW̃.
     *
     * @param dLdW dLoss/dW̃ in C order
     * @param reg  the regulariser's weight (0 during warm-up)
     * @param beta the regulariser's exponent
     * @param dV   receives the gradient (fixed entries get 0)
     * @return the regulariser's value Σ(1 − |2h−1|^β) over learned weights (0 if {@code reg} is 0)
     */
    public double gradient(float[] dLdW, double reg, double beta, double[] dV) {
        for (int i = 0; i < v.length; i++) {
            if (learned[i]) {
                sigmoid[i] = 1.0 / (1.0 + Math.exp(-v[i]));
            }
        }
        return pass(dLdW, reg, beta, dV, null, null, null, 0);
    }

    /**
     * The same as {@link #gradient} for V unchanged since the last {@link #softWeight} or {@link #learnStep}:
     * reuses the σ(V) kept then instead of evaluating the sigmoid again (bitwise the same result).
     */
    double gradientAfterSoftWeight(float[] dLdW, double reg, double beta, double[] dV) {
        return pass(dLdW, reg, beta, dV, null, null, null, 0);
    }

    /**
     * One optimisation step in a single pass over the weights, for V unchanged since the last
     * {@link #softWeight} or {@code learnStep}: the gradient of {@code loss + reg·Σ(1 − |2h−1|^β)} (as
     * {@link #gradient}), the Adam update of V, and the new soft weight written into {@code soft} (as
     * {@link #softWeight}, keeping σ(V) for the next step). Bitwise the same as those three passes, with a
     * third of their memory traffic and one sigmoid per weight and step.
     *
     * @param dLdW      dLoss/dW̃ in C order
     * @param soft      the soft weight of the current V (fixed entries are left as they are), updated
     * @param where     the block, for the error message
     * @param iteration the iteration, for the error message
     * @return the regulariser's value Σ(1 − |2h−1|^β) before the update (0 if {@code reg} is 0)
     * @throws NumericalFailureException if a V becomes NaN or infinite
     */
    double learnStep(float[] dLdW, double reg, double beta, VectorAdam adam, float[] soft, String where,
                     int iteration) {
        adam.begin();
        return pass(dLdW, reg, beta, null, adam, soft, where, iteration);
    }

    /**
     * The gradient from the kept σ(V), into {@code dV} when {@code adam} is null, else straight into an
     * Adam update of V followed by the new σ(V) and soft weight.
     */
    private double pass(float[] dLdW, double reg, double beta, double[] dV, VectorAdam adam, float[] soft,
                        String where, int iteration) {
        double regValue = 0;
        double sum = 0;
        for (int i = 0; i < v.length; i++) {
            if (!learned[i]) {
                if (adam == null) {
                    dV[i] = 0;
                }
                continue;
            }
            double s = sigmoid[i];
            double y = s * (ZETA - GAMMA) + GAMMA;
            double hv;
            double dhv;
            if (y <= 0) {
                hv = 0;
                dhv = 0;
            } else if (y >= 1) {
                hv = 1;
                dhv = 0;
            } else {
                hv = y;
                dhv = s * (1 - s) * (ZETA - GAMMA);
            }
            double g = dLdW[i] * level[i];
            if (reg != 0) {
                double u = 2 * hv - 1;
                double au = Math.abs(u);
                // |u| is exactly 1 wherever the clip is active (h decided); pow(1, x) is 1, so skip the call
                double pw = au == 1.0 ? 1.0 : Math.pow(au, beta - 1);
                regValue += 1 - pw * au;
                g += reg * (-beta * pw * Math.signum(u) * 2);
            }
            g *= dhv;
            if (adam == null) {
                dV[i] = g;
                continue;
            }
            double x = adam.update(i, v[i], g);
            v[i] = x;
            sum += x;
            double sx = sigmoidOrClip(x);
            sigmoid[i] = sx;
            soft[i] = (float) (level[i] * Math.min(1.0, Math.max(0.0, sx * (ZETA - GAMMA) + GAMMA)));
        }
        if (adam != null && !Double.isFinite(sum)) {
            requireFinite(where, iteration);
        }
        return regValue;
    }

    /** Σ(1 − |2h−1|^β) over learned weights. */
    public double regulariser(double beta) {
        double r = 0;
        for (int i = 0; i < v.length; i++) {
            if (learned[i]) {
                r += 1 - Math.pow(Math.abs(2 * h(v[i]) - 1), beta);
            }
        }
        return r;
    }

    /** Hard codes {@code sign(w)·[h(V) ≥ 0.5]} (pinned weights ±1, zero weights 0), C order. */
    public float[] codes() {
        float[] c = new float[v.length];
        for (int i = 0; i < c.length; i++) {
            boolean up = learned[i] ? h(v[i]) >= 0.5 : v[i] > 0;
            c[i] = up ? sign[i] : 0f;
        }
        return c;
    }

    /** The final quantized weights λ·codes (per group and sign), C order. */
    public float[] hardWeight() {
        float[] q = new float[v.length];
        float[] c = codes();
        for (int i = 0; i < q.length; i++) {
            q[i] = c[i] != 0 ? level[i] : 0f;
        }
        return q;
    }

    /**
     * The share of learned weights whose h(V) is within {@code tol} of 0 or 1 (1 when none is learned):
     * how completely the annealed regulariser has made the rounding hard.
     */
    public double fractionDecided(double tol) {
        int n = 0;
        int decided = 0;
        for (int i = 0; i < v.length; i++) {
            if (learned[i]) {
                n++;
                double hv = h(v[i]);
                if (hv <= tol || hv >= 1 - tol) {
                    decided++;
                }
            }
        }
        return n == 0 ? 1.0 : (double) decided / n;
    }

    /**
     * Throws if any learned V is NaN or infinite.
     *
     * @throws NumericalFailureException naming the layer, the iteration and what to try
     */
    void requireFinite(String where, int iteration) {
        for (int i = 0; i < v.length; i++) {
            if (learned[i] && !Double.isFinite(v[i])) {
                throw new NumericalFailureException(where + ": reconstruction diverged: rounding variable V[" + i
                        + "] of layer " + layer + " became " + v[i] + " at iteration " + iteration
                        + "; lower 'lr' or 'iterations' in the method options");
            }
        }
    }
}
