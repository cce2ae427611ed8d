package org.ternsweep.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Finds a dataset's files, first hit wins:
 * <ol>
 *   <li>the explicit data directory, {@code <dir>/<name>} then {@code <dir>} itself: {@code --data}, or
 *       else {@code TERNSWEEP_DATA}, as the driver resolves them ({@link ResolverConfig#dataPath}) —
 *       authoritative: if it is given but incomplete, that is an error, not a reason to look elsewhere;</li>
 *   <li>the Debian package location {@code /usr/share/datasets/<name>} (package
 *       {@code dataset-fashion-mnist});</li>
 *   <li>the cache, {@code <cache>/datasets/<name>};</li>
 *   <li>a download from the official mirrors into the cache, each file verified by SHA-256.</li>
 * </ol>
 * A directory is a hit when it holds all of the dataset's files (gzipped or not). If nothing is found, one
 * {@link DatasetException} names every place tried, why it missed, and how to install the data.
 *
 * <p>Resolution only locates files; {@link DatasetLoader} reads and verifies them.
 */
public final class DatasetResolver {
    /** Which step found the dataset (recorded in provenance). */
    public enum Source { EXPLICIT, SYSTEM, CACHE, DOWNLOAD }

    /**
     * A located dataset.
     *
     * @param spec   what was looked for
     * @param dir    the directory holding all of the dataset's files
     * @param source which step found it
     */
    public record Location(DatasetSpec spec, Path dir, Source source) {
        public Location {
            Objects.requireNonNull(spec, "spec");
            Objects.requireNonNull(dir, "dir");
            Objects.requireNonNull(source, "source");
        }
    }

    private DatasetResolver() {
    }

    /**
     * Locates {@code spec}'s files according to {@code cfg}.
     *
     * @throws DatasetException if the explicit path is incomplete, or nothing is found anywhere
     */
    public static Location resolve(DatasetSpec spec, ResolverConfig cfg) throws DatasetException {
        List<String> tried = new ArrayList<>();
        if (cfg.explicitPath() != null) {
            Path p = cfg.explicitPath();
            for (Path dir : List.of(p.resolve(spec.name()), p)) {
                String miss = missing(spec, dir);
                if (miss == null) {
                    return new Location(spec, dir, Source.EXPLICIT);
                }
                tried.add("explicit path " + dir + ": " + miss);
            }
            throw new DatasetException(spec.name() + ": the data directory given (--data, or "
                    + ResolverConfig.ENV_DATA + ") does not hold the dataset:\n  " + String.join("\n  ", tried)
                    + "\nPut the " + (spec.files().size() == 4 ? "four files " : "file ") + fileNames(spec)
                    + " (.gz or not) in " + p + ", or drop --data and"
                    + " unset " + ResolverConfig.ENV_DATA + " to use the system location, the cache or a download ("
                    + spec.installHint() + ").");
        }
        tried.add("explicit path (--data or " + ResolverConfig.ENV_DATA + "): none given");

        Path system = cfg.systemRoot().resolve(spec.name());
        String systemMiss = missing(spec, system);
        if (systemMiss == null) {
            return new Location(spec, system, Source.SYSTEM);
        }
        tried.add("system location " + system + ": " + systemMiss);

        Path cache = CacheDirs.datasets(cfg.cacheRoot(), spec.name());
        String cacheMiss = missing(spec, cache);
        if (cacheMiss == null) {
            return new Location(spec, cache, Source.CACHE);
        }
        tried.add("cache " + cache + ": " + cacheMiss);

        if (!cfg.downloadEnabled()) {
            tried.add("download: disabled (offline)");
        } else {
            List<String> failures = new DatasetDownloader(cfg.httpClient(), cfg.timeout()).fetchMissing(spec, cache);
            if (missing(spec, cache) == null) {
                return new Location(spec, cache, Source.DOWNLOAD);
            }
            tried.add("download into " + cache + ": failed:\n       " + String.join("\n       ", failures));
        }
        throw notFound(spec, cfg, tried);
    }

    private static DatasetException notFound(DatasetSpec spec, ResolverConfig cfg, List<String> tried) {
        StringBuilder sb = new StringBuilder(spec.name()).append(": dataset not found. Tried, in order:\n");
        for (int i = 0; i < tried.size(); i++) {
            sb.append("  ").append(i + 1).append(". ").append(tried.get(i)).append('\n');
        }
        sb.append("To fix it: ").append(spec.installHint())
                .append("; or set ").append(ResolverConfig.ENV_DATA).append(" to a directory holding ")
                .append(fileNames(spec)).append(" (directly or in a '").append(spec.name())
                .append("' subdirectory); or run with network access so it is downloaded into ")
                .append(CacheDirs.datasets(cfg.cacheRoot(), spec.name())).append('.');
        return new DatasetException(sb.toString());
    }

    /** {@code null} if {@code dir} holds every file of {@code spec}, else why not. */
    private static String missing(DatasetSpec spec, Path dir) {
        if (!Files.isDirectory(dir)) {
            return Files.exists(dir) ? "not a directory" : "no such directory";
        }
        List<String> absent = new ArrayList<>();
        for (DatasetFile f : spec.files()) {
            if (DatasetLoader.find(dir, f).isEmpty()) {
                absent.add(f.archiveName());
            }
        }
        return absent.isEmpty() ? null : "missing " + String.join(", ", absent);
    }

    private static String fileNames(DatasetSpec spec) {
        return String.join(", ", spec.files().stream().map(DatasetFile::archiveName).toList());
    }
}
