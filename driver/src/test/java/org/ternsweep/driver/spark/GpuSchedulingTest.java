package org.ternsweep.driver.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.ternsweep.core.BadInputException;

/** Which Spark settings a sweep's engine and {@code --gpu-per-cell} give, and which values Spark would refuse. */
class GpuSchedulingTest {
    @Test
    void onlyCudaOnAClusterAsksForGpus() {
        assertEquals(Map.of(), GpuScheduling.conf("local[*]", "cuda", 0.25), "local masters schedule no resources");
        assertEquals(Map.of(), GpuScheduling.conf("spark://h:7077", "auto", 0.25));
        assertEquals(Map.of(), GpuScheduling.conf("yarn", "cpu", 1));
        assertEquals(Map.of(GpuScheduling.EXECUTOR_KEY, "1", GpuScheduling.TASK_KEY, "0.25"),
                GpuScheduling.conf("spark://h:7077", "cuda", 0.25));
        assertEquals(Map.of(GpuScheduling.EXECUTOR_KEY, "1", GpuScheduling.TASK_KEY, "1"),
                GpuScheduling.conf("k8s://https://h:443", "cuda", GpuScheduling.DEFAULT_GPU_PER_CELL));
        assertEquals(Map.of(GpuScheduling.EXECUTOR_KEY, "2", GpuScheduling.TASK_KEY, "2"),
                GpuScheduling.conf("yarn", "cuda", 2));
    }

    @Test
    void aShareSparkWouldRefuseIsRefusedFirst() {
        for (double bad : new double[]{0, -0.25, 0.75, 1.5, Double.NaN, Double.POSITIVE_INFINITY}) {
            BadInputException e = assertThrows(BadInputException.class,
                    () -> GpuScheduling.conf("local[*]", "cpu", bad));
            assertTrue(e.getMessage().contains("--gpu-per-cell " + bad + " is not allowed"), e.getMessage());
            assertTrue(e.getMessage().contains("(0, 0.5]"), e.getMessage());
        }
    }
}
