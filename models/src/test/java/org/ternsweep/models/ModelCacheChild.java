package org.ternsweep.models;

import java.nio.file.Path;
import java.util.Map;

/**
 * A second JVM for {@link ModelCacheTest}: asks the cache at {@code args[0]} for the test key and
 * prints {@code BUILT} or {@code REUSED} (and the payload's hash) so the parent can check that a model
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
        ModelCacheEntry e = cache.getOrBuild(ModelCacheTest.key("cnn-small", 10), () -> {
            built[0] = true;
            return new ModelCache.Built(ModelZoo.build("cnn-small", 9), 0.5, Map.of("by", "child"));
        });
        System.out.println((built[0] ? "BUILT " : "REUSED ") + e.payloadSha256());
    }
}
