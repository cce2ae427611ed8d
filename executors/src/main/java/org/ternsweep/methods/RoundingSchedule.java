package org.ternsweep.methods;

/**
 * The regulariser schedule of AdaRound (Nagel et al. 2020, §4.1; spec §4.2): for the first
 * {@value #WARMUP} of the iterations the rounding regulariser is off, then its exponent β anneals
 * linearly from {@value #BETA_START} to {@value #BETA_END}, so that rounding is first free to follow the
 * reconstruction loss and is then pushed, ever harder, to 0 or 1.
 *
 * @param iterations total optimisation steps (≥ 1)
 */
public record RoundingSchedule(int iterations) {
    /** Share of the iterations without regulariser. */
    public static final double WARMUP = 0.2;
    public static final double BETA_START = 20;
    public static final double BETA_END = 2;

    public RoundingSchedule {
        if (iterations < 1) {
            throw new IllegalArgumentException("a rounding schedule needs at least 1 iteration, got " + iterations
                    + "; set 'iterations' ≥ 1 in the method options");
        }
    }

    /** The first iteration (0-based) with the regulariser on. */
    public int warmupEnd() {
        return (int) (WARMUP * iterations);
    }

    /** Whether the regulariser is on at iteration {@code it} (0-based). */
    public boolean regulariserOn(int it) {
        return it >= warmupEnd();
    }

    /** β at iteration {@code it}: 20 at the end of warm-up, falling linearly to 2 at the last iteration. */
    public double beta(int it) {
        int start = warmupEnd();
        int span = iterations - 1 - start;
        double rel = span <= 0 ? 1.0 : Math.min(1.0, Math.max(0.0, (double) (it - start) / span));
        return BETA_END + (BETA_START - BETA_END) * (1 - rel);
    }
}
