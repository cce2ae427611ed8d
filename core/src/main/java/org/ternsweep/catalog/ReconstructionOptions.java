package org.ternsweep.catalog;

import java.util.LinkedHashMap;
import java.util.Map;
import org.ternsweep.core.BadInputException;

/**
 * The options of {@code adaround} and {@code brecq} (spec §4.2–4.3).
 *
 * @param iterations  optimisation steps per layer (adaround) or block (brecq)
 * @param batch       calibration images per step
 * @param calibration calibration images drawn from the training set by the cell's seed
 * @param reg         weight of the rounding regulariser
 * @param lr          Adam learning rate on V
 * @param loss        block output loss (adaround has no such option and always uses {@link Loss#MSE})
 * @param bnReestimation after reconstruction, match each BN-folded layer's per-channel output mean and variance on
 *                       the calibration images to the float network's
 */
public record ReconstructionOptions(int iterations, int batch, int calibration, double reg, double lr, Loss loss,
                                    boolean bnReestimation) {

    /** The block output loss of BrecQ (Li et al. 2021, §3.3). */
    public enum Loss {
        /** Plain squared error of the block output. */
        MSE,
        /** Squared error weighted per element by the squared gradient of the float model's loss (diagonal Fisher). */
        FISHER
    }

    public static final Option<Integer> ITERATIONS = Option.integer("iterations", 2000, 1, 1_000_000,
            "optimisation steps per layer (adaround) or block (brecq)");
    public static final Option<Integer> BATCH = Option.integer("batch", 32, 1, 65536, "calibration images per step");
    public static final Option<Integer> CALIBRATION = Option.integer("calibration", 1024, 1, 60000,
            "calibration images drawn from the training set by the cell's seed");
    public static final Option<Double> REG = Option.real("reg", 0.01, 0, 1e6, "weight of the rounding regulariser");
    public static final Option<Double> LR = Option.real("lr", 1e-2, 1e-12, 10,
            "Adam learning rate on V (preset cpu: 1e-2, paper: 1e-3)");
    public static final Option<Loss> LOSS = Option.choice("loss", Loss.MSE,
            "block output loss: plain MSE or diagonal-Fisher weighted");
    public static final Option<Boolean> BN_REESTIMATION = Option.bool("bn_reestimation", false,
            "after reconstruction, match each BN-folded layer's output mean and variance to the float network's")
            .omittedAtDefault();

    /** adaround: no loss option, always MSE. */
    public static final OptionSchema<ReconstructionOptions> ADAROUND = OptionSchema.of(v -> new ReconstructionOptions(
            v.get(ITERATIONS), v.get(BATCH), v.get(CALIBRATION), v.get(REG), v.get(LR), Loss.MSE,
            v.get(BN_REESTIMATION)), ITERATIONS, BATCH, CALIBRATION, REG, LR, BN_REESTIMATION);

    /** brecq: with the block output loss. */
    public static final OptionSchema<ReconstructionOptions> BRECQ = OptionSchema.of(v -> new ReconstructionOptions(
            v.get(ITERATIONS), v.get(BATCH), v.get(CALIBRATION), v.get(REG), v.get(LR), v.get(LOSS),
            v.get(BN_REESTIMATION)), ITERATIONS, BATCH, CALIBRATION, REG, LR, LOSS, BN_REESTIMATION);

    /**
     * {@code cpu} (the default) and {@code paper}. The CPU preset runs a tenth of the paper's iterations, so it raises
     * Adam's learning rate tenfold: at 2 000 steps of 1e-3 Adam moves each V by at most about 2, too little for the
     * annealed regulariser to push h(V) to 0 or 1 (15–74 % of a layer's roundings were left undecided); the paper's
     * 20 000 can.
     */
    public static final Presets PRESETS = new Presets("cpu", presets());

    private static Map<String, Map<String, Object>> presets() {
        Map<String, Map<String, Object>> m = new LinkedHashMap<>();
        m.put("cpu", Presets.of(ITERATIONS.set(2000), BATCH.set(32), CALIBRATION.set(1024), LR.set(1e-2)));
        m.put("paper", Presets.of(ITERATIONS.set(20000), BATCH.set(32), CALIBRATION.set(1024), LR.set(1e-3)));
        return m;
    }

    /** The options without BN re-estimation, as before it existed. */
    public ReconstructionOptions(int iterations, int batch, int calibration, double reg, double lr, Loss loss) {
        this(iterations, batch, calibration, reg, lr, loss, false);
    }

    /**
     * Single values out of range are programming errors here (the catalog's bounds stop them in sweep files first);
     * a batch larger than the calibration set passes those bounds and is bad input.
     *
     * @throws BadInputException if {@code batch > calibration}
     */
    public ReconstructionOptions {
        if (iterations < 1 || batch < 1 || calibration < 1) {
            throw new IllegalArgumentException("iterations (" + iterations + "), batch (" + batch
                    + ") and calibration (" + calibration + ") must be ≥ 1");
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
        if (batch > calibration) {
            throw new BadInputException("batch " + batch + " is larger than calibration " + calibration
                    + "; lower 'batch' or raise 'calibration'");
        }
    }
}
