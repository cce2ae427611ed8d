package org.ternsweep.core;

import java.io.Serializable;
import java.util.Map;
import java.util.TreeMap;

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
 * @param inputFiles    where the run's user-supplied inputs live, by content: SHA-256 (lower-case hex) → path or
 *                      Hadoop URI of the file (imported ONNX networks, user datasets), as the driver found and
 *                      hashed them; a cell names the content ({@link CellSpec#modelSource()}), this says where
 *                      to read it. The executor checks the hash of what it reads.
 */
public record RunContext(String dataPath, String cacheDir, int threads, boolean allowDownload, String convBackend,
                         Map<String, String> inputFiles) implements Serializable {
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
        // a TreeMap, not Map.copyOf: the context travels to executors by Java serialization
        inputFiles = inputFiles == null ? new TreeMap<>() : new TreeMap<>(inputFiles);
    }

    /** A context with no user-supplied input files. */
    public RunContext(String dataPath, String cacheDir, int threads, boolean allowDownload, String convBackend) {
        this(dataPath, cacheDir, threads, allowDownload, convBackend, Map.of());
    }

    /** Where the input file with this SHA-256 lives; throws naming the hash when the driver did not ship it. */
    public String inputFile(String sha256) {
        String path = inputFiles.get(sha256);
        if (path == null) {
            throw new BadInputException("no input file with SHA-256 " + sha256 + " was given to this run; the cell"
                    + " names a file the sweep did not list (run the sweep file that made the cell)");
        }
        return path;
    }

    /** A context with the default convolution backend. */
    public RunContext(String dataPath, String cacheDir, int threads, boolean allowDownload) {
        this(dataPath, cacheDir, threads, allowDownload, DEFAULT_CONV_BACKEND);
    }
}
