package org.ternsweep.data;

import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Everything {@link DatasetResolver} may look at, passed in rather than read from the process, so that
 * a test can exercise each step without touching the real environment.
 *
 * @param explicitPath    a directory given on the command line or in the sweep file, or {@code null}
 * @param env             the environment variables to consult ({@code TERNSWEEP_DATA})
 * @param systemRoot      where system packages put datasets: {@code /usr/share/datasets}
 * @param cacheRoot       the ternsweep cache root ({@link CacheDirs}); datasets go to {@code <root>/datasets/<name>}
 * @param downloadEnabled whether the last step may use the network
 * @param timeout         connect and per-request timeout of a download
 */
public record ResolverConfig(Path explicitPath, Map<String, String> env, Path systemRoot, Path cacheRoot,
                             boolean downloadEnabled, Duration timeout) {
    /** The environment variable naming a data directory. */
    public static final String ENV_DATA = "TERNSWEEP_DATA";
    /** The Debian location of packaged datasets ({@code dataset-fashion-mnist} installs there). */
    public static final Path DEBIAN_ROOT = Path.of("/usr/share/datasets");

    public ResolverConfig {
        env = Map.copyOf(Objects.requireNonNull(env, "env"));
        Objects.requireNonNull(systemRoot, "systemRoot");
        Objects.requireNonNull(cacheRoot, "cacheRoot");
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout " + timeout + " must be positive");
        }
    }

    /**
     * The production configuration: the real environment, the Debian root, the cache from
     * {@code cacheOption} ({@link CacheDirs}), downloads enabled unless {@code offline}.
     */
    public static ResolverConfig fromEnvironment(Path explicitPath, String cacheOption, boolean offline) {
        return new ResolverConfig(explicitPath, System.getenv(), DEBIAN_ROOT, CacheDirs.resolve(cacheOption),
                !offline, Duration.ofSeconds(60));
    }

    /** An HTTP client with this configuration's timeout, following redirects (GitHub raw URLs redirect). */
    HttpClient httpClient() {
        return HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NORMAL).build();
    }
}
