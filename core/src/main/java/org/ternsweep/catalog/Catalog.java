package org.ternsweep.catalog;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every operator, method, model, dataset and cell-level setting with its options and defaults, in
 * one documented place (docs/spec.md). The driver validates sweep files against this catalog and
 * resolves defaults once, before fan-out; `ternsweep list` prints it.
 */
public final class Catalog {
    private Catalog() {
    }

    public static final List<String> GRANULARITIES = List.of("per-tensor", "per-channel");
    public static final List<String> FIRST_LAST = List.of("int8", "fp", "ternary");

    private static final Map<String, ComponentSpec> OPERATORS = index(
            new ComponentSpec("native", "symmetric 2-bit round-to-nearest: t = M/2, λ = M (spec §2)", List.of()),
            new ComponentSpec("tquant", "support equalization: t = M/3, λ = 2M/3, minimises the worst error", List.of()),
            new ComponentSpec("mquant", "mass equalization: t = q1/3(|w|), a third of the weights per code", List.of(
                    OptionSpec.choice("level", "mean", List.of("mean", "median", "double"),
                            "λ over {|w| > t}: mean (L2-optimal), median (L1-optimal), double (λ = 2t)"),
                    OptionSpec.bool("symmetric", true,
                            "false: thresholds at the 1/3 and 2/3 quantiles of the signed weights, a level per sign"))));

    /**
     * The CPU preset runs a tenth of the paper's iterations, so it raises Adam's learning rate tenfold: at
     * 2 000 steps of 1e-3 Adam moves each V by at most about 2, too little for the annealed regulariser to
     * push h(V) to 0 or 1 (15–74 % of a layer's roundings were left undecided); the paper's 20 000 can.
     */
    private static final Map<String, Object> ADAROUND_CPU = Map.of("iterations", 2000L, "batch", 32L, "calibration", 1024L,
            "lr", 1e-2);
    private static final Map<String, Object> ADAROUND_PAPER = Map.of("iterations", 20000L, "batch", 32L, "calibration", 1024L,
            "lr", 1e-3);

    private static List<OptionSpec> reconstructionOptions(boolean withLoss) {
        var base = new java.util.ArrayList<>(List.of(
                OptionSpec.integer("iterations", 2000, 1, 1_000_000, "optimisation steps per layer (adaround) or block (brecq)"),
                OptionSpec.integer("batch", 32, 1, 65536, "calibration images per step"),
                OptionSpec.integer("calibration", 1024, 1, 60000, "calibration images drawn from the training set by the cell's seed"),
                OptionSpec.real("reg", 0.01, 0, 1e6, "weight of the rounding regulariser"),
                OptionSpec.real("lr", 1e-2, 1e-12, 10, "Adam learning rate on V (preset cpu: 1e-2, paper: 1e-3)")));
        if (withLoss) {
            base.add(OptionSpec.choice("loss", "mse", List.of("mse", "fisher"),
                    "block output loss: plain MSE or diagonal-Fisher weighted"));
        }
        return base;
    }

    private static final Map<String, ComponentSpec> METHODS = index(
            new ComponentSpec("data-free", "apply the operator to every weight tensor (spec §4.1)", List.of(
                    OptionSpec.bool("bias_correction", false, "data-free bias correction (Nagel et al. 2019)"),
                    OptionSpec.bool("cle", false, "cross-layer equalization before quantization"))),
            new ComponentSpec("adaround", "layer-wise adaptive rounding (Nagel et al. 2020; spec §4.2)",
                    reconstructionOptions(false), Map.of("cpu", ADAROUND_CPU, "paper", ADAROUND_PAPER)),
            new ComponentSpec("brecq", "block reconstruction (Li et al. 2021; spec §4.3)",
                    reconstructionOptions(true), Map.of("cpu", ADAROUND_CPU, "paper", ADAROUND_PAPER)),
            new ComponentSpec("qat", "quantization-aware training with the straight-through estimator (spec §4.4)", List.of(
                    OptionSpec.real("epochs", 2, 0.001, 1000, "training epochs (fractions allowed for quick looks)"),
                    OptionSpec.real("lr", 1e-4, 1e-12, 10, "learning rate"),
                    OptionSpec.integer("batch", 128, 1, 65536, "batch size"),
                    OptionSpec.choice("optimizer", "adam", List.of("adam", "sgd"), "adam, or sgd with momentum 0.9"),
                    OptionSpec.choice("ste", "identity", List.of("identity", "clipped"),
                            "straight-through estimator: identity, or clipped (zero gradient where |w| > λ, beyond the outer level)"))));

    private static final Map<String, ComponentSpec> MODELS = index(
            new ComponentSpec("cnn-small", "conv5x5(16)-pool-conv5x5(32)-pool-dense128-dense10, 80 202 parameters", List.of()),
            new ComponentSpec("resnet-8", "3 residual basic blocks (16, 32, 64) with BN, 77 754 parameters", List.of()));

    private static final Map<String, ComponentSpec> DATASETS = index(
            new ComponentSpec("fashion-mnist", "Fashion-MNIST, 60 000 train / 10 000 test, 28x28 grey", List.of()),
            new ComponentSpec("mnist", "MNIST digits, same IDX format", List.of()));

    /** The float-baseline training recipe (spec §7); part of the model-cache key. */
    public static final ComponentSpec RECIPE = new ComponentSpec("recipe", "float baseline training (spec §7)", List.of(
            OptionSpec.real("epochs", 10, 0.001, 1000, "training epochs"),
            OptionSpec.integer("batch", 128, 1, 65536, "batch size"),
            OptionSpec.real("lr", 1e-3, 1e-12, 10, "Adam learning rate"),
            OptionSpec.integer("train_subset", 0, 0, 60000, "use only the first N training images (0 = all)")));

    /** Evaluation settings of a cell. */
    public static final ComponentSpec EVALUATION = new ComponentSpec("evaluation", "test-set evaluation", List.of(
            OptionSpec.integer("batch", 500, 1, 65536, "evaluation batch size"),
            OptionSpec.integer("test_subset", 0, 0, 10000, "evaluate on the first N test images (0 = the full test set)")));

    public static Map<String, ComponentSpec> operators() {
        return OPERATORS;
    }

    public static Map<String, ComponentSpec> methods() {
        return METHODS;
    }

    public static Map<String, ComponentSpec> models() {
        return MODELS;
    }

    public static Map<String, ComponentSpec> datasets() {
        return DATASETS;
    }

    private static Map<String, ComponentSpec> index(ComponentSpec... specs) {
        Map<String, ComponentSpec> m = new LinkedHashMap<>();
        for (ComponentSpec s : specs) {
            m.put(s.name(), s);
        }
        return java.util.Collections.unmodifiableMap(m);
    }
}
