package org.ternsweep.catalog;

/**
 * The options of {@code qat} (spec §4.4).
 *
 * @param epochs    training epochs; a fraction runs that fraction of the last epoch's batches (at least one step)
 * @param lr        learning rate
 * @param batch     batch size
 * @param optimizer adam, or sgd with momentum 0.9
 * @param ste       how the gradient passes through the quantizer
 */
public record QatOptions(double epochs, double lr, int batch, Optimizer optimizer, Ste ste) {

    /** The optimiser of the float weights. */
    public enum Optimizer {
        /** Adam with PyTorch's defaults. */
        ADAM,
        /** SGD with momentum 0.9. */
        SGD
    }

    /** The straight-through estimator: how dL/dQ(W) reaches the float weights. */
    public enum Ste {
        /** dL/dW = dL/dQ(W). */
        IDENTITY,
        /** As identity, but zero where the quantizer saturates (|w| beyond the group's outer level λ). */
        CLIPPED
    }

    public static final Option<Double> EPOCHS = Option.real("epochs", 2, 0.001, 1000,
            "training epochs (fractions allowed for quick looks)");
    public static final Option<Double> LR = Option.real("lr", 1e-4, 1e-12, 10, "learning rate");
    public static final Option<Integer> BATCH = Option.integer("batch", 128, 1, 65536, "batch size");
    public static final Option<Optimizer> OPTIMIZER = Option.choice("optimizer", Optimizer.ADAM,
            "adam, or sgd with momentum 0.9");
    public static final Option<Ste> STE = Option.choice("ste", Ste.IDENTITY,
            "straight-through estimator: identity, or clipped (zero gradient where |w| > λ, beyond the outer level)");
    public static final OptionSchema<QatOptions> SCHEMA = OptionSchema.of(v -> new QatOptions(v.get(EPOCHS),
            v.get(LR), v.get(BATCH), v.get(OPTIMIZER), v.get(STE)), EPOCHS, LR, BATCH, OPTIMIZER, STE);

    public QatOptions {
        if (!(epochs > 0) || Double.isInfinite(epochs) || batch < 1 || !(lr > 0) || Double.isInfinite(lr)
                || optimizer == null || ste == null) {
            throw new IllegalArgumentException("qat options out of range: epochs " + epochs + " (> 0), batch " + batch
                    + " (>= 1), lr " + lr + " (> 0), optimizer " + optimizer + ", ste " + ste
                    + "; resolve them through the Catalog");
        }
    }
}
