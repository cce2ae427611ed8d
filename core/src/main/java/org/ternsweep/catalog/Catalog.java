package org.ternsweep.catalog;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ternsweep.core.BadInputException;

/**
 * Every operator, method, model, dataset and sweep-level setting with its options and defaults, in one documented
 * place (docs/spec.md). Options are the typed {@link Option}s of their records ({@link MQuantOptions},
 * {@link DataFreeOptions}, {@link ReconstructionOptions}, {@link QatOptions}, {@link RecipeOptions},
 * {@link EvaluationOptions}); the driver validates sweep files against this catalog and resolves defaults once,
 * before fan-out, `ternsweep list` prints it, and the executors' registry binds an implementation to every operator
 * and method listed here.
 *
 * <p>Adding an operator or a method: its options record (or {@link NoOptions}), a constant here and its entry in
 * {@link #operators()} or {@link #methods()}, and its factory in the executors' registry (which refuses to load
 * while one is missing).
 */
public final class Catalog {
    private Catalog() {
    }

    public static final List<String> GRANULARITIES = List.of("per-tensor", "per-channel");
    public static final List<String> FIRST_LAST = List.of("int8", "fp", "ternary");

    public static final ComponentSpec<NoOptions> NATIVE = new ComponentSpec<>("native",
            "symmetric 2-bit round-to-nearest: t = M/2, λ = M (spec §2)", NoOptions.SCHEMA);
    public static final ComponentSpec<NoOptions> TQUANT = new ComponentSpec<>("tquant",
            "support equalization: t = M/3, λ = 2M/3, minimises the worst error", NoOptions.SCHEMA);
    public static final ComponentSpec<MQuantOptions> MQUANT = new ComponentSpec<>("mquant",
            "mass equalization: t = q1/3(|w|), a third of the weights per code", MQuantOptions.SCHEMA);
    public static final ComponentSpec<NoOptions> TWN = new ComponentSpec<>("twn",
            "ternary weight networks (Li & Liu 2016): t = 0.7·mean|w|, λ = mean |w| over |w| > t", NoOptions.SCHEMA);
    public static final ComponentSpec<NoOptions> OPTIMAL = new ComponentSpec<>("optimal",
            "the exact MSE-optimal symmetric ternary fit of each group (spec §2)", NoOptions.SCHEMA);

    public static final ComponentSpec<DataFreeOptions> DATA_FREE = new ComponentSpec<>("data-free",
            "apply the operator to every weight tensor (spec §4.1)", DataFreeOptions.SCHEMA);
    public static final ComponentSpec<ReconstructionOptions> ADAROUND = new ComponentSpec<>("adaround",
            "layer-wise adaptive rounding (Nagel et al. 2020; spec §4.2)", ReconstructionOptions.ADAROUND,
            ReconstructionOptions.PRESETS);
    public static final ComponentSpec<ReconstructionOptions> BRECQ = new ComponentSpec<>("brecq",
            "block reconstruction (Li et al. 2021; spec §4.3)", ReconstructionOptions.BRECQ,
            ReconstructionOptions.PRESETS);
    public static final ComponentSpec<QatOptions> QAT = new ComponentSpec<>("qat",
            "quantization-aware training with the straight-through estimator (spec §4.4)", QatOptions.SCHEMA);

    /** The float-baseline training recipe (spec §7); part of the model-cache key. */
    public static final ComponentSpec<RecipeOptions> RECIPE = new ComponentSpec<>("recipe",
            "float baseline training (spec §7)", RecipeOptions.SCHEMA);

    /** Evaluation settings of a cell. */
    public static final ComponentSpec<EvaluationOptions> EVALUATION = new ComponentSpec<>("evaluation",
            "test-set evaluation", EvaluationOptions.SCHEMA);

    private static final Map<String, ComponentSpec<?>> OPERATORS = index(NATIVE, TQUANT, MQUANT, TWN, OPTIMAL);
    private static final Map<String, ComponentSpec<?>> METHODS = index(DATA_FREE, ADAROUND, BRECQ, QAT);
    private static final Map<String, ComponentSpec<?>> MODELS = index(
            new ComponentSpec<>("cnn-small", "conv5x5(16)-pool-conv5x5(32)-pool-dense128-dense10, 80 202 parameters",
                    NoOptions.SCHEMA),
            new ComponentSpec<>("resnet-8", "3 residual basic blocks (16, 32, 64) with BN, 77 754 parameters",
                    NoOptions.SCHEMA),
            new ComponentSpec<>("resnet-20", "He et al. 2016 CIFAR ResNet: 3 stages x 3 basic blocks (16, 32, 64)"
                    + " with BN and 1x1 projection shortcuts, 272 474 parameters on 3x32x32", NoOptions.SCHEMA));
    private static final Map<String, ComponentSpec<?>> DATASETS = index(
            new ComponentSpec<>("fashion-mnist", "Fashion-MNIST, 60 000 train / 10 000 test, 28x28 grey",
                    NoOptions.SCHEMA),
            new ComponentSpec<>("mnist", "MNIST digits, same IDX format", NoOptions.SCHEMA),
            new ComponentSpec<>("cifar10", "CIFAR-10, 50 000 train / 10 000 test, 32x32 RGB (the binary version)",
                    NoOptions.SCHEMA));

    /** The sweep's dataset when it names none. */
    public static final String DEFAULT_DATASET = "fashion-mnist";
    /** The scheme of the first and last weight layers when a sweep names none. */
    public static final String DEFAULT_FIRST_LAST = "int8";
    /** The float baselines' seed when a sweep names none. */
    public static final long DEFAULT_MODEL_SEED = 0;
    /** The operator the others are compared against when a sweep names none. */
    public static final String DEFAULT_REFERENCE = "native";

    public static Map<String, ComponentSpec<?>> operators() {
        return OPERATORS;
    }

    public static Map<String, ComponentSpec<?>> methods() {
        return METHODS;
    }

    public static Map<String, ComponentSpec<?>> models() {
        return MODELS;
    }

    public static Map<String, ComponentSpec<?>> datasets() {
        return DATASETS;
    }

    /**
     * The number of classes of a dataset (chance accuracy is its inverse).
     *
     * @throws BadInputException for a dataset not in {@link #datasets()}
     */
    public static int classes(String dataset) {
        if (!DATASETS.containsKey(dataset)) {
            throw new BadInputException("unknown dataset '" + dataset + "'; known: "
                    + String.join(", ", DATASETS.keySet()));
        }
        return 10;
    }

    /**
     * The image shape {@code [channels, height, width]} of a built-in dataset, or null for one whose shape is only
     * known once its arrays are read (a user dataset); the driver checks an imported network's input against it.
     */
    public static int[] imageShape(String dataset) {
        if (!DATASETS.containsKey(dataset)) {
            return null;
        }
        return dataset.equals("cifar10") ? new int[] {3, 32, 32} : new int[] {1, 28, 28};
    }

    private static Map<String, ComponentSpec<?>> index(ComponentSpec<?>... specs) {
        Map<String, ComponentSpec<?>> m = new LinkedHashMap<>();
        for (ComponentSpec<?> s : specs) {
            if (m.put(s.name(), s) != null) {
                throw new IllegalStateException("two catalog entries are named '" + s.name() + "'");
            }
        }
        return Collections.unmodifiableMap(m);
    }
}
