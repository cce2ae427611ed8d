package org.ternsweep.catalog;

/**
 * The options of {@code mquant} (mass equalization, spec §2).
 *
 * @param level     how λ is set from the weights above the threshold
 * @param symmetric false: thresholds at the 1/3- and 2/3-quantiles of the signed weights, each sign with its level
 */
public record MQuantOptions(Level level, boolean symmetric) {

    /** How λ is set from the weights above the threshold t. */
    public enum Level {
        /** λ = mean |w| over {|w| > t}: the L2-optimal level for that threshold (default). */
        MEAN,
        /** λ = median |w| over {|w| > t}: the L1-optimal level. */
        MEDIAN,
        /** λ = 2t: keeps the round-to-nearest grid form. */
        DOUBLE
    }

    public static final Option<Level> LEVEL = Option.choice("level", Level.MEAN,
            "λ over {|w| > t}: mean (L2-optimal), median (L1-optimal), double (λ = 2t)");
    public static final Option<Boolean> SYMMETRIC = Option.bool("symmetric", true,
            "false: thresholds at the 1/3 and 2/3 quantiles of the signed weights, a level per sign");
    public static final OptionSchema<MQuantOptions> SCHEMA =
            OptionSchema.of(v -> new MQuantOptions(v.get(LEVEL), v.get(SYMMETRIC)), LEVEL, SYMMETRIC);

    public MQuantOptions {
        if (level == null) {
            throw new IllegalArgumentException("mquant needs a level: one of mean, median, double");
        }
    }
}
