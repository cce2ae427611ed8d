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
 * @param convBackend   the engine's convolution backend for every cell: {@code dnnl} (oneDNN, falling back to
 *                      {@code gemm} where it does not load) or {@code gemm}; the executor checks the name
 */
public record RunContext(String dataPath, String cacheDir, int threads, boolean allowDownload, String convBackend)
        implements Serializable {
    /** The engine's default convolution backend (oneDNN), for contexts that do not name one. */
    public static final String DEFAULT_CONV_BACKEND = "dnnl";

    public RunContext {
        if (cacheDir == null || cacheDir.isBlank()) {
            throw new IllegalArgumentException("cacheDir must be set");
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        if (convBackend == null || convBackend.isBlank()) {
            throw new IllegalArgumentException("convBackend must be set (dnnl or gemm)");
        }
    }

    /** A context with the default convolution backend. */
    public RunContext(String dataPath, String cacheDir, int threads, boolean allowDownload) {
        this(dataPath, cacheDir, threads, allowDownload, DEFAULT_CONV_BACKEND);
    }
}
