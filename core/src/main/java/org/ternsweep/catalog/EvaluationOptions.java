package org.ternsweep.catalog;

/**
 * How a cell evaluates its quantized network on the test set.
 *
 * @param batch      evaluation batch size
 * @param testSubset evaluate on the first N test images only; 0 = the full test set
 */
public record EvaluationOptions(int batch, int testSubset) {
    public static final Option<Integer> BATCH = Option.integer("batch", 500, 1, 65536, "evaluation batch size");
    public static final Option<Integer> TEST_SUBSET = Option.integer("test_subset", 0, 0, 10000,
            "evaluate on the first N test images (0 = the full test set)");
    public static final OptionSchema<EvaluationOptions> SCHEMA = OptionSchema.of(v -> new EvaluationOptions(
            v.get(BATCH), v.get(TEST_SUBSET)), BATCH, TEST_SUBSET);

    /** The number of test images evaluated out of {@code testSize}. */
    public int testImages(int testSize) {
        return testSubset <= 0 ? testSize : Math.min(testSubset, testSize);
    }
}
