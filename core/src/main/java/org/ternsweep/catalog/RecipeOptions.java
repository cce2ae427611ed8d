package org.ternsweep.catalog;

/**
 * The float-baseline training recipe of a sweep (spec §7; Adam). Part of the model-cache key, as its resolved map.
 *
 * @param epochs      training epochs (fractions allowed)
 * @param batch       batch size
 * @param lr          Adam learning rate
 * @param trainSubset train on the first N training images only; 0 = all
 */
public record RecipeOptions(double epochs, int batch, double lr, int trainSubset) {
    public static final Option<Double> EPOCHS = Option.real("epochs", 10, 0.001, 1000, "training epochs");
    public static final Option<Integer> BATCH = Option.integer("batch", 128, 1, 65536, "batch size");
    public static final Option<Double> LR = Option.real("lr", 1e-3, 1e-12, 10, "Adam learning rate");
    public static final Option<Integer> TRAIN_SUBSET = Option.integer("train_subset", 0, 0, 60000,
            "use only the first N training images (0 = all)");
    public static final OptionSchema<RecipeOptions> SCHEMA = OptionSchema.of(v -> new RecipeOptions(v.get(EPOCHS),
            v.get(BATCH), v.get(LR), v.get(TRAIN_SUBSET)), EPOCHS, BATCH, LR, TRAIN_SUBSET);
}
