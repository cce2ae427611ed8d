package org.ternsweep.core;

import java.io.Serializable;

/**
 * The environment-dependent settings of a run, resolved once by the driver and shipped to every
 * task (executors read no environment variables or system properties themselves).
 *
 * @param dataPath      explicit dataset directory, or null to use the resolution chain
 * @param cacheDir      model/dataset cache root (any path the executor can reach)
 * @param threads       compute threads per cell (= spark.task.cpus)
 * @param allowDownload whether the dataset may be downloaded when not found locally
 */
public record RunContext(String dataPath, String cacheDir, int threads, boolean allowDownload) implements Serializable {
    public RunContext {
        if (cacheDir == null || cacheDir.isBlank()) {
            throw new IllegalArgumentException("cacheDir must be set");
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
    }
}
