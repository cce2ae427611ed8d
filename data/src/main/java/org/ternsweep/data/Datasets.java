package org.ternsweep.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * Loads datasets through a JVM-wide cache, so that all Spark tasks running in one executor JVM read
 * and decode the files once (a Fashion-MNIST load takes about a second and 220 MB; a sweep runs
 * hundreds of cells per executor).
 *
 * <p>This is the one static mutable cache the project allows, by design: it holds immutable
 * {@link Dataset}s only, is keyed by everything that determines the content, and is thread-safe
 * (concurrent first loads of one key read the files once; the others wait for that load). The key is
 * the dataset spec (name and published hashes), the resolved directory's real path, and each file's
 * size and modification time: a file replaced on disk gives a new key and the old entry for that
 * directory is dropped. A failed load is not cached, so a fixed file is picked up by the next call.
 */
public final class Datasets {
    private record Key(DatasetSpec spec, Path dir, List<String> fingerprint) {
    }

    private static final Map<Key, FutureTask<Dataset>> CACHE = new ConcurrentHashMap<>();

    private Datasets() {
    }

    /** Resolves and loads the built-in dataset {@code name} (see {@link DatasetSpec#forName}). */
    public static Dataset load(String name, ResolverConfig cfg) throws DatasetException {
        return load(DatasetSpec.forName(name), cfg);
    }

    /** Resolves ({@link DatasetResolver}) and loads ({@link DatasetLoader}) {@code spec}, once per JVM. */
    public static Dataset load(DatasetSpec spec, ResolverConfig cfg) throws DatasetException {
        return load(DatasetResolver.resolve(spec, cfg));
    }

    /** Loads an already resolved dataset, once per JVM. */
    public static Dataset load(DatasetResolver.Location location) throws DatasetException {
        Key key = key(location);
        FutureTask<Dataset> task = new FutureTask<>(() -> DatasetLoader.load(key.spec(), key.dir()));
        FutureTask<Dataset> existing = CACHE.putIfAbsent(key, task);
        if (existing == null) {
            CACHE.keySet().removeIf(k -> k.dir().equals(key.dir()) && k.spec().equals(key.spec()) && !k.equals(key));
            task.run();
            existing = task;
        }
        try {
            return existing.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DatasetException("interrupted while waiting for " + location.dir() + " to load", e);
        } catch (ExecutionException e) {
            CACHE.remove(key, existing);
            if (e.getCause() instanceof DatasetException de) {
                throw de;
            }
            throw new DatasetException(location.spec().name() + ": loading " + location.dir() + " failed: "
                    + e.getCause(), e.getCause());
        }
    }

    private static Key key(DatasetResolver.Location location) throws DatasetException {
        Path dir;
        try {
            dir = location.dir().toRealPath();
        } catch (IOException e) {
            throw new DatasetException(location.dir() + ": cannot resolve the dataset directory: " + e, e);
        }
        List<String> fp = new ArrayList<>();
        for (DatasetFile f : location.spec().files()) {
            Path file = DatasetLoader.find(dir, f).orElseThrow(() -> new DatasetException(location.spec().name()
                    + ": " + f.archiveName() + " disappeared from " + location.dir() + " after it was found"));
            try {
                fp.add(file.getFileName() + ":" + Files.size(file) + ":" + Files.getLastModifiedTime(file).toMillis());
            } catch (IOException e) {
                throw new DatasetException(file + ": cannot read size or modification time: " + e, e);
            }
        }
        return new Key(location.spec(), dir, List.copyOf(fp));
    }
}
