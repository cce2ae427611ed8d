package org.ternsweep.models;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.ternsweep.core.Sha256;
import org.ternsweep.engine.Network;

/**
 * A verified model-cache entry: the key it was built for, the facts its header records and the network
 * read from its payload. Only {@link ModelCache} creates entries, after checking the header's schema and
 * the payload's size, SHA-256 and layout; the network in hand is what was stored.
 *
 * @param key           what the model was built from
 * @param floatAccuracy the float model's top-1 test accuracy, in [0, 1]
 * @param provenance    observed facts of the build (host, versions, times …)
 * @param payloadSha256 SHA-256 of the weights payload
 * @param created       when the entry was written
 * @param weights       where the weights payload is
 * @param network       the float network read from the payload, bound to no engine; shared, so callers
 *                      that change weights work on a {@link Network#copy()}
 */
public record ModelCacheEntry(ModelCacheKey key, double floatAccuracy, Map<String, String> provenance,
                              String payloadSha256, Instant created, Path weights, Network network) {
    public ModelCacheEntry {
        Objects.requireNonNull(key, "key");
        if (!(floatAccuracy >= 0 && floatAccuracy <= 1)) {
            throw new IllegalArgumentException("floatAccuracy " + floatAccuracy + " must be in [0, 1]");
        }
        provenance = Collections.unmodifiableMap(new TreeMap<>(Objects.requireNonNull(provenance, "provenance")));
        if (!Sha256.isHex(payloadSha256)) {
            throw new IllegalArgumentException("payloadSha256 '" + payloadSha256 + "' must be 64 lower-case hex digits");
        }
        Objects.requireNonNull(created, "created");
        Objects.requireNonNull(weights, "weights");
        Objects.requireNonNull(network, "network");
    }

    /** The content address, {@code key().id()}. */
    public String id() {
        return key.id();
    }
}
