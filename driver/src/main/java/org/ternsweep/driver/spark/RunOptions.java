package org.ternsweep.driver.spark;

import java.util.Map;
import java.util.Objects;
import org.ternsweep.core.BadInputException;
import org.ternsweep.core.RunContext;

/**
 * How to run a sweep, resolved by the CLI from its flags and environment before anything starts.
 *
 * @param out            output directory (Hadoop path or URI)
 * @param cacheDir       model/dataset cache root passed to executors
 * @param dataDir        explicit dataset directory, or null for the executors' resolution chain
 * @param threadsPerCell cores per cell: spark.task.cpus and the executor's ND4J threads
 * @param forceUnlock    take over an existing {@code _lock}
 * @param executorClass  the {@link org.ternsweep.core.CellExecutor} to instantiate in tasks
 * @param allowDownload  whether executors may download a missing dataset
 * @param convBackend    the engine's convolution backend in every cell ({@code dnnl} or {@code gemm})
 */
public record RunOptions(String out, String cacheDir, String dataDir, int threadsPerCell, boolean forceUnlock,
                         String executorClass, boolean allowDownload, String convBackend,
                         Map<String, String> inputFiles) {

    /** The production executor, written in the executors module. */
    public static final String DEFAULT_EXECUTOR = "org.ternsweep.runner.CellRunner";

    public RunOptions {
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(cacheDir, "cacheDir");
        Objects.requireNonNull(executorClass, "executorClass");
        Objects.requireNonNull(convBackend, "convBackend");
        if (threadsPerCell < 1) {
            throw new BadInputException("--threads-per-cell must be >= 1, got " + threadsPerCell);
        }
        inputFiles = inputFiles == null ? Map.of() : Map.copyOf(inputFiles);
    }

    /** Options with no user-supplied input files (the sweep's own are added by {@link #withInputFiles}). */
    public RunOptions(String out, String cacheDir, String dataDir, int threadsPerCell, boolean forceUnlock,
                      String executorClass, boolean allowDownload, String convBackend) {
        this(out, cacheDir, dataDir, threadsPerCell, forceUnlock, executorClass, allowDownload, convBackend, Map.of());
    }

    /** These options with the executors' locations of the sweep's input files (SHA-256 → local path). */
    public RunOptions withInputFiles(Map<String, String> files) {
        return new RunOptions(out, cacheDir, dataDir, threadsPerCell, forceUnlock, executorClass, allowDownload,
                convBackend, files);
    }

    /** Options with the default convolution backend. */
    public RunOptions(String out, String cacheDir, String dataDir, int threadsPerCell, boolean forceUnlock,
                      String executorClass, boolean allowDownload) {
        this(out, cacheDir, dataDir, threadsPerCell, forceUnlock, executorClass, allowDownload,
                RunContext.DEFAULT_CONV_BACKEND);
    }
}
