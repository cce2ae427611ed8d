package org.ternsweep.catalog;

/**
 * The options of {@code data-free} (spec §4.1).
 *
 * @param biasCorrection correct each layer's bias for the expected quantization error (Nagel et al. 2019)
 * @param cle            equalize ranges across consecutive layers before quantizing (cross-layer equalization)
 */
public record DataFreeOptions(boolean biasCorrection, boolean cle) {
    public static final Option<Boolean> BIAS_CORRECTION = Option.bool("bias_correction", false,
            "data-free bias correction (Nagel et al. 2019)");
    public static final Option<Boolean> CLE = Option.bool("cle", false, "cross-layer equalization before quantization");
    public static final OptionSchema<DataFreeOptions> SCHEMA =
            OptionSchema.of(v -> new DataFreeOptions(v.get(BIAS_CORRECTION), v.get(CLE)), BIAS_CORRECTION, CLE);
}
