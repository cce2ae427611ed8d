package org.ternsweep.data;

import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Everything {@link DatasetResolver} may look at, passed in rather than read from the process: executors
 * read no environment (the driver resolves {@code --data} and {@code TERNSWEEP_DATA} once, with
 * {@link #dataPath}, and sends the result in the run context), and a test exercises each step without
 * touching the real environment.
 *
 * @param explicitPath    the data directory from {@code --data} or {@code TERNSWEEP_DATA} ({@link #dataPath}),
 *                        or {@code null}
 * @param systemRoot      where system packages put datasets: {@code /usr/share/datasets}
 * @param cacheRoot       the ternsweep cache root ({@link CacheDirs}); datasets go to {@code <root>/datasets/<name>}
 * @param downloadEnabled whether the last step may use the network
 * @param timeout         connect and per-request timeout of a download
 */
public record ResolverConfig(Path explicitPath, Path systemRoot, Path cacheRoot, boolean downloadEnabled,
                             Duration timeout) {
    /** The environment variable naming a data directory, read by the driver ({@link #dataPath}). */
    public static final String ENV_DATA = "TERNSWEEP_DATA";
    /** The Debian location of packaged datasets ({@code dataset-fashion-mnist} installs there). */
    public static final Path DEBIAN_ROOT = Path.of("/usr/share/datasets");

    public ResolverConfig {
        Objects.requireNonNull(systemRoot, "systemRoot");
        Objects.requireNonNull(cacheRoot, "cacheRoot");
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout " + timeout + " must be positive");
        }
    }

    /**
     * The explicit data directory of a run: the {@code --data} value if given (not blank), else
     * {@code TERNSWEEP_DATA} from {@code env} if set (not blank), else null (the resolver then looks in
     * the system location, the cache, and downloads).
     */
    public static String dataPath(String cliValue, Map<String, String> env) {
        if (cliValue != null && !cliValue.isBlank()) {
            return cliValue.trim();
        }
        String fromEnv = env.get(ENV_DATA);
        return fromEnv == null || fromEnv.isBlank() ? null : fromEnv.trim();
    }

    /** An HTTP client with this configuration's timeout, following redirects (GitHub raw URLs redirect). */
    HttpClient httpClient() {
        return HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NORMAL).build();
    }
}
