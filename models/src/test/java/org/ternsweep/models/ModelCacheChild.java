package org.ternsweep.models;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/**
 * A second JVM for {@link ModelCacheTest}: asks the cache at {@code args[0]} for the test key and
 * prints {@code BUILT} or {@code REUSED} (and the zip's hash) so the parent can check that a model
 * being built by another process is waited for and reused, not built twice.
 */
public final class ModelCacheChild {
    private ModelCacheChild() {
    }

    public static void main(String[] args) throws Exception {
        ModelCache cache = new ModelCache(Path.of(args[0]));
        boolean[] built = {false};
        System.out.println("STARTING");
        System.out.flush();
        ModelCacheEntry e = cache.getOrBuild(ModelCacheTest.key("cnn-small", 10), out -> {
            built[0] = true;
            out.write("child".getBytes(StandardCharsets.UTF_8));
            return new ModelCache.Built(0.5, Map.of("by", "child"));
        });
        System.out.println((built[0] ? "BUILT " : "REUSED ") + e.zipSha256());
    }
}
