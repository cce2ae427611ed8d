package org.ternsweep.driver.spark;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import org.ternsweep.core.BadInputException;

/**
 * The Spark settings that make a cluster schedule cells onto GPUs (docs/cluster.md): each executor asks for
 * {@value #EXECUTOR_AMOUNT} GPU and each cell for {@code --gpu-per-cell} of one, so {@code 0.25} packs four cells
 * on a GPU. Spark schedules GPUs only on a cluster manager (standalone Workers, YARN, Kubernetes); {@code local[*]}
 * has no resource scheduling, so local masters get no settings. Applied only when the sweep asks for
 * {@code engine: cuda}: a CPU sweep must not wait for GPU executors.
 */
public final class GpuScheduling {
    /** The default share of a GPU a cell asks for: a whole one. */
    public static final double DEFAULT_GPU_PER_CELL = 1.0;
    /** GPUs per executor unless {@code --conf spark.executor.resource.gpu.amount} says otherwise. */
    public static final String EXECUTOR_AMOUNT = "1";
    /** The executor's GPU request. */
    public static final String EXECUTOR_KEY = "spark.executor.resource.gpu.amount";
    /** The task's (cell's) GPU request. */
    public static final String TASK_KEY = "spark.task.resource.gpu.amount";

    private GpuScheduling() {
    }

    /**
     * The settings for {@code master}, {@code engine} (the sweep's setting) and the share of a GPU per cell; empty
     * for local masters and engines other than {@code cuda}.
     *
     * @throws BadInputException when {@code gpuPerCell} is neither in (0, 0.5] nor a whole number (Spark's rule: a
     *                           fraction shares one GPU among 1/fraction cells)
     */
    public static Map<String, String> conf(String master, String engine, double gpuPerCell) {
        check(gpuPerCell);
        Map<String, String> conf = new LinkedHashMap<>();
        if (!"cuda".equals(engine) || master.startsWith("local")) {
            return conf;
        }
        double perExecutor = Math.max(1, Math.ceil(gpuPerCell));
        conf.put(EXECUTOR_KEY, BigDecimal.valueOf(perExecutor).stripTrailingZeros().toPlainString());
        conf.put(TASK_KEY, BigDecimal.valueOf(gpuPerCell).stripTrailingZeros().toPlainString());
        return conf;
    }

    /**
     * Checks a {@code --gpu-per-cell} value.
     *
     * @throws BadInputException naming the value and what is allowed
     */
    public static double check(double gpuPerCell) {
        if (!(gpuPerCell > 0) || Double.isInfinite(gpuPerCell) || (gpuPerCell > 0.5 && gpuPerCell % 1 != 0)) {
            throw new BadInputException("--gpu-per-cell " + gpuPerCell + " is not allowed: Spark takes a fraction in"
                    + " (0, 0.5] (0.25 = four cells share one GPU) or a whole number of GPUs per cell");
        }
        return gpuPerCell;
    }
}
