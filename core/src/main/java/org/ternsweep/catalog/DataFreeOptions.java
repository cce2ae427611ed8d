package org.ternsweep.catalog;

/**
 * The options of {@code data-free} (spec §4.1).
 *
 * @param biasCorrection how each layer's bias is corrected for the quantization error, if at all
 * @param cle            equalize ranges across consecutive layers before quantizing (cross-layer equalization)
 * @param bnReestimation match each BN-folded layer's per-channel output mean and variance on the calibration images
 *                       to the float network's
 * @param calibration    calibration images drawn from the training set by the cell's seed, for
 *                       {@code bias_correction: empirical} and {@code bn_reestimation}
 */
public record DataFreeOptions(BiasCorrection biasCorrection, boolean cle, boolean bnReestimation, int calibration) {

    /** Which bias correction runs after quantizing. */
    public enum BiasCorrection {
        /** None ({@code false}). */
        NONE,
        /** From the expected input of each layer under its BN's statistics, without data ({@code true}). */
        ANALYTIC,
        /** From the mean output difference on the calibration images ({@code empirical}). */
        EMPIRICAL
    }

    public static final Option<BiasCorrection> BIAS_CORRECTION = Option.boolOrChoice("bias_correction",
            BiasCorrection.NONE, BiasCorrection.NONE, BiasCorrection.ANALYTIC,
            "true: data-free bias correction (Nagel et al. 2019); empirical: from the calibration images");
    public static final Option<Boolean> CLE = Option.bool("cle", false, "cross-layer equalization before quantization");
    public static final Option<Boolean> BN_REESTIMATION = Option.bool("bn_reestimation", false,
            "match each BN-folded layer's output mean and variance on the calibration images to the float network's")
            .omittedAtDefault();
    public static final Option<Integer> CALIBRATION = Option.integer("calibration", 1024, 1, 60000,
            "calibration images drawn by the cell's seed, for bias_correction: empirical and bn_reestimation")
            .omittedAtDefault();
    public static final OptionSchema<DataFreeOptions> SCHEMA = OptionSchema.of(
            v -> new DataFreeOptions(v.get(BIAS_CORRECTION), v.get(CLE), v.get(BN_REESTIMATION), v.get(CALIBRATION)),
            BIAS_CORRECTION, CLE, BN_REESTIMATION, CALIBRATION)
            .omittedWhen(CALIBRATION,
                    v -> v.get(BIAS_CORRECTION) != BiasCorrection.EMPIRICAL && !v.get(BN_REESTIMATION));

    public DataFreeOptions {
        if (biasCorrection == null) {
            throw new IllegalArgumentException("data-free needs a bias correction: false, true or empirical");
        }
        if (calibration < 1) {
            throw new IllegalArgumentException("calibration must be ≥ 1, got " + calibration);
        }
    }

    /** Whether the method draws calibration images. */
    public boolean usesCalibration() {
        return biasCorrection == BiasCorrection.EMPIRICAL || bnReestimation;
    }
}
