package org.ternsweep.core;

/**
 * Every purpose string that splits a cell's or a model's seed into its own random stream ({@link Seeds}, spec §5),
 * in one place. They are part of the numerical contract: {@code Seeds.derive(seed, purpose)} hashes the exact
 * characters, so changing one changes every model, calibration subset or batch order drawn with it (and no
 * cellId tells). Two uses that must see the same numbers share a purpose, e.g. every operator and method draws
 * its calibration images from {@link #CALIBRATION}: that is what keeps their comparisons paired.
 */
public final class SeedPurpose {
    /** The calibration subset of AdaRound and BrecQ: a prefix of one permutation of the training set. */
    public static final String CALIBRATION = "calibration";

    /** The batch order of the reconstruction methods (adaround, brecq); one permutation per pass, see {@link #pass}. */
    public static final String RECONSTRUCTION_BATCHES = "reconstruction/batches";

    /** The shuffle of the float-baseline training (spec §7), one permutation per epoch. */
    public static final EpochOrder FLOAT_TRAINING_ORDER = new EpochOrder("train-order:epoch");

    /** The shuffle of quantization-aware training (spec §4.4), one permutation per epoch. */
    public static final EpochOrder QAT_ORDER = new EpochOrder("qat-order:epoch");

    private static final String MODEL_INIT = "init:";
    private static final String PASS = "/epoch-";

    private SeedPurpose() {
    }

    /** The initial weights of a zoo model, drawn from its model_seed: {@code init:<architecture>}. */
    public static String modelInit(String architecture) {
        return MODEL_INIT + architecture;
    }

    /** Pass {@code pass} (0-based) over a calibration set in batches drawn for {@code purpose}. */
    public static String pass(String purpose, int pass) {
        return purpose + PASS + pass;
    }

    /**
     * The per-epoch shuffles of one training loop: epoch {@code e} (0-based) visits the examples in the order
     * {@code Seeds.permutation(n, seed, prefix + e)}.
     *
     * @param prefix the purpose without the epoch number
     */
    public record EpochOrder(String prefix) {
        public EpochOrder {
            if (prefix == null || prefix.isBlank()) {
                throw new IllegalArgumentException("an epoch order needs a purpose prefix, e.g. train-order:epoch");
            }
        }

        /** The purpose of epoch {@code epoch} (0-based). */
        public String epoch(int epoch) {
            return prefix + epoch;
        }
    }
}
