package org.ternsweep.models;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.ternsweep.core.CanonicalJson;
import org.ternsweep.core.Sha256;
import org.ternsweep.data.InputShape;

/**
 * What determines a float baseline (spec §5, §7): the architecture, the dataset's content hash, the
 * training recipe and the model seed. Its {@link #id()} is the SHA-256 of its canonical JSON (keys
 * sorted at every level), the content address of the model in {@link ModelCache}: a recipe that
 * differs in any value (e.g. fewer epochs for a quick look) gets another address and so never
 * shadows the full one.
 *
 * <p>Recipe values must be JSON values: strings, numbers, booleans, lists and maps of those. Numbers
 * are hashed as JSON writes them, so {@code 10} and {@code 10.0} are different recipes: the driver
 * resolves recipes to their canonical types once, before hashing.
 *
 * @param architecture  zoo architecture name, e.g. {@code cnn-small}
 * @param datasetSha256 the dataset's content SHA-256 ({@link org.ternsweep.data.Dataset#sha256()})
 * @param recipe        training settings; copied and sorted
 * <p>{@code input} is the dataset's image shape and classes, which the network is built for. It is not part of
 * the identity: the dataset's hash already determines it (a CIFAR-10 model and a Fashion-MNIST one differ in
 * {@code datasetSha256}), and leaving it out keeps every existing cache address.
 *
 * @param modelSeed     the float baseline's seed
 * @param input         the dataset's shape the network is built for; not hashed
 */
public record ModelCacheKey(String architecture, String datasetSha256, Map<String, Object> recipe, long modelSeed,
                            InputShape input) {
    public ModelCacheKey {
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(architecture, "architecture");
        if (architecture.isBlank()) {
            throw new IllegalArgumentException("architecture must not be blank; name a zoo model, e.g. cnn-small");
        }
        if (!Sha256.isHex(datasetSha256)) {
            throw new IllegalArgumentException("datasetSha256 '" + datasetSha256
                    + "' must be 64 lower-case hex digits (Dataset.sha256())");
        }
        Objects.requireNonNull(recipe, "recipe");
        recipe.forEach((k, v) -> checkJsonValue("recipe." + k, v));
        recipe = Collections.unmodifiableMap(new TreeMap<>(recipe));
    }

    /** A key for a network of 1×28×28 images and 10 classes (Fashion-MNIST, MNIST). */
    public ModelCacheKey(String architecture, String datasetSha256, Map<String, Object> recipe, long modelSeed) {
        this(architecture, datasetSha256, recipe, modelSeed, InputShape.GREY_28);
    }

    private static void checkJsonValue(String path, Object v) {
        if (v == null || v instanceof String || v instanceof Number || v instanceof Boolean) {
            return;
        }
        if (v instanceof List<?> l) {
            for (int i = 0; i < l.size(); i++) {
                checkJsonValue(path + "[" + i + "]", l.get(i));
            }
            return;
        }
        if (v instanceof Map<?, ?> m) {
            m.forEach((k, x) -> {
                if (!(k instanceof String)) {
                    throw new IllegalArgumentException(path + ": map key " + k + " must be a string");
                }
                checkJsonValue(path + "." + k, x);
            });
            return;
        }
        throw new IllegalArgumentException(path + " is a " + v.getClass().getName()
                + "; recipe values must be strings, numbers, booleans, lists or maps");
    }

    /** The hashed fields, with the names used in the sidecar JSON. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("architecture", architecture);
        m.put("dataset_sha256", datasetSha256);
        m.put("model_seed", modelSeed);
        m.put("recipe", recipe);
        return m;
    }

    /** JSON with sorted keys at every level: what {@link #id()} hashes. */
    public String canonicalJson() {
        try {
            return CanonicalJson.write(new TreeMap<>(toMap()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize model key " + toMap() + " to JSON", e);
        }
    }

    /** The content address: SHA-256 of {@link #canonicalJson()}, 64 hex digits. */
    public String id() {
        return Sha256.of(canonicalJson());
    }
}
