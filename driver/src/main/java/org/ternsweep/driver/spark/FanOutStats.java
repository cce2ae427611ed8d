package org.ternsweep.driver.spark;

import java.util.Locale;

/**
 * How well a fan-out used its task slots (docs/BENCHMARKS.md "Sweep efficiency"): efficiency =
 * Σ cell compute seconds ÷ (wall seconds × slots), and the driver's overhead per cell =
 * (wall × slots − Σ compute) ÷ cells — scheduling, serialization, the Parquet write and rename, the
 * listener, and the slots left idle in the last wave.
 *
 * @param cells        cells run
 * @param wallSeconds  wall time of the fan-out (the Spark job)
 * @param cellSeconds  Σ over the cells of their compute time (the executor's run, measured in the task)
 * @param slots        concurrent task slots (cores ÷ spark.task.cpus)
 */
public record FanOutStats(int cells, double wallSeconds, double cellSeconds, int slots) {
    public FanOutStats {
        if (cells < 1 || slots < 1 || !(wallSeconds > 0) || !(cellSeconds >= 0)) {
            throw new IllegalArgumentException("fan-out statistics need cells >= 1, slots >= 1, wall > 0 and cell"
                    + " seconds >= 0; got cells " + cells + ", slots " + slots + ", wall " + wallSeconds
                    + ", cell seconds " + cellSeconds);
        }
    }

    public double efficiency() {
        return cellSeconds / (wallSeconds * slots);
    }

    public double overheadPerCell() {
        return (wallSeconds * slots - cellSeconds) / cells;
    }

    /** The console line, e.g. "ran 36 cells in 120.0 s (Σ cell compute 220.0 s on 2 slots: ...)". */
    public String describe() {
        return String.format(Locale.ROOT, "ran %d cells in %.1f s (Σ cell compute %.1f s on %d task slots:"
                + " efficiency %.2f, driver overhead %.2f s per cell)", cells, wallSeconds, cellSeconds, slots,
                efficiency(), overheadPerCell());
    }
}
