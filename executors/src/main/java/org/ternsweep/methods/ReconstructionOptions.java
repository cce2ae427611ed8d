package org.ternsweep.methods;

import java.util.Locale;

/**
 * The resolved options of {@code adaround} and {@code brecq} (spec §4.2–4.3, defaults in the Catalog).
 *
 * @param iterations  optimisation steps per layer (adaround) or block (brecq)
 * @param batch       calibration images per step
 * @param calibration calibration images drawn from the training set by the cell's seed
 * @param reg         weight of the rounding regulariser
 * @param lr          Adam learning rate on V
 * @param loss        block output loss (adaround always uses {@link Loss#MSE})
 */
public record ReconstructionOptions(int iterations, int batch, int calibration, double reg, double lr, Loss loss) {

    /** The block output loss of BrecQ (Li et al. 2021, §3.3). */
    public enum Loss {
        /** Plain squared error of the block output. */
        MSE,
        /** Squared error weighted per element by the squared gradient of the float model's loss (diagonal Fisher). */
        FISHER;

        /** Parses a catalog value ({@code mse} or {@code fisher}). */
        public static Loss fromName(String name) {
            for (Loss l : values()) {
                if (l.name().toLowerCase(Locale.ROOT).equals(name)) {
                    return l;
                }
            }
            throw new IllegalArgumentException("loss '" + name + "' is not known: use mse or fisher");
        }
    }

    public ReconstructionOptions {
        if (iterations < 1 || batch < 1 || calibration < 1) {
            throw new IllegalArgumentException("iterations (" + iterations + "), batch (" + batch + ") and calibration ("
                    + calibration + ") must be ≥ 1");
        }
        if (batch > calibration) {
            throw new IllegalArgumentException("batch " + batch + " is larger than calibration " + calibration
                    + "; lower 'batch' or raise 'calibration'");
        }
        if (!(reg >= 0) || !Double.isFinite(reg)) {
            throw new IllegalArgumentException("reg must be finite and ≥ 0, got " + reg);
        }
        if (!(lr > 0) || !Double.isFinite(lr)) {
            throw new IllegalArgumentException("lr must be finite and > 0, got " + lr);
        }
        if (loss == null) {
            throw new IllegalArgumentException("loss must be mse or fisher");
        }
    }

    /** Reads the options of a cell (resolved through the Catalog; {@code loss} only when present). */
    public static ReconstructionOptions of(MethodInput in, boolean withLoss) {
        return new ReconstructionOptions(Math.toIntExact(in.longOption("iterations")),
                Math.toIntExact(in.longOption("batch")), Math.toIntExact(in.longOption("calibration")),
                in.doubleOption("reg"), in.doubleOption("lr"),
                withLoss ? Loss.fromName(in.stringOption("loss")) : Loss.MSE);
    }
}
