package org.ternsweep.driver.spark;

import java.util.List;
import java.util.Map;
import java.util.Random;
import org.ternsweep.core.CellExecutor;
import org.ternsweep.core.CellResult;
import org.ternsweep.core.CellSpec;
import org.ternsweep.core.RunContext;

/**
 * Test executor with known variances, for the adaptive seed rule: accuracy = a base per operator (native 0.60,
 * others 0.70) + a model-seed offset of 0.01 per model seed + Gaussian noise of standard deviation
 * {@link #SD_PER_TENSOR} for per-tensor cells and {@link #SD_PER_CHANNEL} for per-channel ones, drawn from the
 * cell's id (deterministic, independent between operators and seeds).
 */
public class NoisyExecutor implements CellExecutor {
    /** Seed-to-seed standard deviation of a per-tensor cell's accuracy. */
    public static final double SD_PER_TENSOR = 0.002;
    /** Seed-to-seed standard deviation of a per-channel cell's accuracy. */
    public static final double SD_PER_CHANNEL = 0.015;

    @Override
    public CellResult run(CellSpec spec, RunContext context) {
        String id = spec.cellId();
        double sd = spec.granularity().equals("per-tensor") ? SD_PER_TENSOR : SD_PER_CHANNEL;
        double base = spec.operator().equals("native") ? 0.60 : 0.70;
        double acc = base + 0.01 * spec.modelSeed() + sd * new Random(id.hashCode()).nextGaussian();
        return new CellResult(id, spec, CellResult.Status.OK, null, null, acc, 1 - acc, 0.91, 0.001, 0.001,
                List.of(), List.of(), Map.of());
    }
}
