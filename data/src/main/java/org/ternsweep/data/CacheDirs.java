package org.ternsweep.data;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The one place that decides where ternsweep caches live (as DJL's {@code Utils.getCacheDir}): the
 * {@code --cache} value if given, else the environment variable {@code TERNSWEEP_CACHE}, else
 * {@code ~/.cache/ternsweep}. Datasets are cached under {@code <root>/datasets/<name>} and float
 * models under {@code <root>/models}.
 *
 * <p>The environment and the home directory are parameters so that tests exercise every branch
 * without touching the real environment; {@link #resolve(String)} is the production entry point, used
 * by {@code ternsweep run}, and {@link #main} answers the launcher {@code bin/ternsweep}, which needs the
 * root before the CLI starts (for JavaCPP's cache and its dataset check), so that the rule exists once.
 */
public final class CacheDirs {
    /** The environment variable naming the cache root. */
    public static final String ENV = "TERNSWEEP_CACHE";

    private CacheDirs() {
    }

    /**
     * The cache root from a {@code --cache} value (may be {@code null} or blank), the environment and
     * the user's home directory, first non-blank wins.
     */
    public static Path resolve(String cliValue, Map<String, String> env, Path userHome) {
        Optional<String> cli = nonBlank(cliValue);
        if (cli.isPresent()) {
            return Path.of(cli.get()).toAbsolutePath().normalize();
        }
        Optional<String> fromEnv = nonBlank(env.get(ENV));
        if (fromEnv.isPresent()) {
            return Path.of(fromEnv.get()).toAbsolutePath().normalize();
        }
        return userHome.resolve(".cache").resolve("ternsweep").toAbsolutePath().normalize();
    }

    /** As {@link #resolve(String, Map, Path)} with the real environment and {@code user.home}. */
    public static Path resolve(String cliValue) {
        return resolve(cliValue, System.getenv(), Path.of(System.getProperty("user.home")));
    }

    /**
     * Prints the cache root for the {@code --cache} value in {@code args[0]} (absent or blank: none given)
     * and this process's environment: {@code bin/ternsweep} runs this rather than repeat the rule in shell.
     */
    public static void main(String[] args) {
        System.out.println(resolve(args.length > 0 ? args[0] : null));
    }

    /** Where a downloaded dataset is kept: {@code <root>/datasets/<name>}. */
    public static Path datasets(Path root, String name) {
        return root.resolve("datasets").resolve(name);
    }

    /** Where float models are kept: {@code <root>/models}. */
    public static Path models(Path root) {
        return root.resolve("models");
    }

    private static Optional<String> nonBlank(String s) {
        return s == null || s.isBlank() ? Optional.empty() : Optional.of(s.trim());
    }
}
