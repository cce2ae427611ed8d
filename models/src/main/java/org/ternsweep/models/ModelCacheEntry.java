package org.ternsweep.models;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.ternsweep.core.Sha256;

/**
 * A verified model-cache entry: the key it was built for, the model zip and the facts its sidecar
 * records. Only {@link ModelCache} creates entries, after checking that the zip's SHA-256 matches
 * the sidecar; an entry in hand is safe to load.
 *
 * @param key           what the model was built from
 * @param floatAccuracy the float model's top-1 test accuracy, in [0, 1]
 * @param provenance    observed facts of the build (host, versions, times …)
 * @param zipSha256     SHA-256 of the zip
 * @param created       when the entry was written
 * @param zip           where the model zip is
 */
public record ModelCacheEntry(ModelCacheKey key, double floatAccuracy, Map<String, String> provenance,
                              String zipSha256, Instant created, Path zip) {
    public ModelCacheEntry {
        Objects.requireNonNull(key, "key");
        if (!(floatAccuracy >= 0 && floatAccuracy <= 1)) {
            throw new IllegalArgumentException("floatAccuracy " + floatAccuracy + " must be in [0, 1]");
        }
        provenance = Collections.unmodifiableMap(new TreeMap<>(Objects.requireNonNull(provenance, "provenance")));
        if (!Sha256.isHex(zipSha256)) {
            throw new IllegalArgumentException("zipSha256 '" + zipSha256 + "' must be 64 lower-case hex digits");
        }
        Objects.requireNonNull(created, "created");
        Objects.requireNonNull(zip, "zip");
    }

    /** The content address, {@code key().id()}. */
    public String id() {
        return key.id();
    }
}
