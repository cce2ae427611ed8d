package org.ternsweep.models;

/**
 * A training recipe: epochs (fractions allowed: 0.5 runs half of the first epoch's batches), batch
 * size, learning rate and optimiser. {@link #BASELINE} is the float-baseline recipe of spec §7.
 */
public record TrainConfig(double epochs, int batch, double lr, OptimizerKind optimizer) {
    /** Spec §7: Adam lr 1e-3, batch 128, 10 epochs. */
    public static final TrainConfig BASELINE = new TrainConfig(10, 128, 1e-3, OptimizerKind.ADAM);

    public TrainConfig {
        if (!(epochs > 0) || Double.isInfinite(epochs)) {
            throw new IllegalArgumentException("training epochs must be a positive number, got " + epochs);
        }
        if (batch < 1) {
            throw new IllegalArgumentException("training batch must be >= 1, got " + batch);
        }
        if (!(lr > 0) || Double.isInfinite(lr)) {
            throw new IllegalArgumentException("training lr must be a positive number, got " + lr);
        }
        if (optimizer == null) {
            throw new IllegalArgumentException("training optimizer must be adam or sgd");
        }
    }
}
