package org.ternsweep.models;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.ternsweep.core.CanonicalJson;
import org.ternsweep.data.CacheDirs;

/**
 * The content-addressed cache of float baselines (spec §7). An entry is
 * {@code <root>/models/<key>.zip}, the model as written by its builder (a DL4J model zip; the cache
 * does not look inside), and {@code <key>.json}, a sidecar with the key's fields, the float accuracy,
 * the build's provenance, the zip's SHA-256 and the creation time. The key is
 * {@link ModelCacheKey#id()}.
 *
 * <p>Integrity: an entry is used only if its sidecar parses, names the right key and the zip's
 * SHA-256 matches the sidecar. A corrupt or partial entry (zip without sidecar, truncated zip,
 * unreadable sidecar) is logged, deleted and treated as missing, so it is rebuilt, never used.
 *
 * <p>Concurrency: a build holds the key's lock ({@code <key>.lock}, exclusive across threads and
 * processes), writes the zip and the sidecar to temporary names in the same directory, syncs them and
 * renames them into place, zip first and sidecar last. The sidecar's appearance is the commit: a
 * reader either sees a complete entry or none. A second builder of the same key waits for the lock,
 * then finds the entry and reuses it. Reads of a complete entry take no lock; repairs do.
 */
public final class ModelCache {
    private static final System.Logger LOG = System.getLogger(ModelCache.class.getName());

    /**
     * Builds a model: writes the model zip to {@code out} and returns what the sidecar records.
     * Typically {@code out -> { ModelSerializer.writeModel(net, out, false); return new Built(acc, prov); }}.
     */
    @FunctionalInterface
    public interface Builder {
        Built build(OutputStream out) throws IOException;
    }

    /**
     * What a builder reports besides the zip.
     *
     * @param floatAccuracy top-1 test accuracy of the float model, in [0, 1]
     * @param provenance    observed facts of the build (host, versions, training time …)
     */
    public record Built(double floatAccuracy, Map<String, String> provenance) {
        public Built {
            if (!(floatAccuracy >= 0 && floatAccuracy <= 1)) {
                throw new IllegalArgumentException("floatAccuracy " + floatAccuracy
                        + " must be in [0, 1] (a fraction, not a percentage)");
            }
            provenance = Map.copyOf(Objects.requireNonNull(provenance, "provenance"));
        }
    }

    private sealed interface State permits Valid, Missing, Invalid {
    }

    private record Valid(ModelCacheEntry entry) implements State {
    }

    private record Missing() implements State {
    }

    private record Invalid(String reason) implements State {
    }

    private final ModelCacheFiles files;

    /** A cache rooted at {@code root} (a {@link CacheDirs} root); entries live in {@code <root>/models}. */
    public ModelCache(Path root) {
        this.files = new ModelCacheFiles(CacheDirs.models(Objects.requireNonNull(root, "root")));
    }

    /** The directory holding the entries. */
    public Path directory() {
        return files.dir();
    }

    /**
     * The verified entry for {@code key}, if there is one. A corrupt or partial entry is deleted and
     * reported as absent.
     */
    public Optional<ModelCacheEntry> lookup(ModelCacheKey key) throws IOException {
        State s = inspect(key);
        if (s instanceof Valid v) {
            return Optional.of(v.entry());
        }
        if (s instanceof Missing) {
            return Optional.empty();
        }
        try (ModelCacheFiles.Held held = files.lock(key.id() + ".lock")) {
            return Optional.ofNullable(repairUnderLock(key));
        }
    }

    /**
     * The entry for {@code key}, building it with {@code builder} if it is missing or broken. Concurrent
     * callers (threads or processes) for one key build it once; the others wait and reuse it.
     *
     * @throws IOException if the builder fails (nothing is left behind) or the cache cannot be written
     */
    public ModelCacheEntry getOrBuild(ModelCacheKey key, Builder builder) throws IOException {
        State s = inspect(key);
        if (s instanceof Valid v) {
            return v.entry();
        }
        String id = key.id();
        try (ModelCacheFiles.Held held = files.lock(id + ".lock")) {
            ModelCacheEntry existing = repairUnderLock(key);
            if (existing != null) {
                return existing;
            }
            files.deleteTemps(id + ".");
            var zipTmp = files.writeTemp(id + ".zip.", builder::build);
            try {
                Built built = Objects.requireNonNull(zipTmp.getValue().value(),
                        "the model builder for " + id + " returned null instead of its accuracy and provenance");
                ModelCacheEntry entry = new ModelCacheEntry(key, built.floatAccuracy(), built.provenance(),
                        zipTmp.getValue().sha256(), Instant.now(), zipPath(id));
                byte[] json = sidecarJson(entry);
                var jsonTmp = files.writeTemp(id + ".json.", out -> {
                    out.write(json);
                    return null;
                });
                files.publish(zipTmp.getKey(), zipPath(id));
                files.publish(jsonTmp.getKey(), sidecarPath(id));
                LOG.log(System.Logger.Level.INFO, "model cache: stored {0} ({1}, float accuracy {2})", id,
                        key.architecture(), built.floatAccuracy());
                return entry;
            } finally {
                files.deleteTemps(id + ".");
            }
        }
    }

    /** Opens the entry's model zip for reading (e.g. by DL4J's {@code ModelSerializer}). */
    public InputStream openZip(ModelCacheEntry entry) throws IOException {
        return files.open(entry.zip());
    }

    private Path zipPath(String id) {
        return files.file(id + ".zip");
    }

    private Path sidecarPath(String id) {
        return files.file(id + ".json");
    }

    /** Re-inspects under the lock and deletes a broken entry; returns the valid entry or null. */
    private ModelCacheEntry repairUnderLock(ModelCacheKey key) throws IOException {
        State s = inspect(key);
        if (s instanceof Valid v) {
            return v.entry();
        }
        if (s instanceof Invalid inv) {
            String id = key.id();
            LOG.log(System.Logger.Level.WARNING, "model cache: entry {0} in {1} is broken ({2}); deleting it so it is"
                    + " rebuilt", id, files.dir(), inv.reason());
            files.deleteIfExists(sidecarPath(id));
            files.deleteIfExists(zipPath(id));
        }
        return null;
    }

    private State inspect(ModelCacheKey key) throws IOException {
        String id = key.id();
        Path zip = zipPath(id);
        Path sidecar = sidecarPath(id);
        boolean hasZip = files.exists(zip);
        boolean hasSidecar = files.exists(sidecar);
        if (!hasZip && !hasSidecar) {
            return new Missing();
        }
        if (!hasSidecar) {
            return new Invalid("zip without sidecar " + sidecar);
        }
        if (!hasZip) {
            return new Invalid("sidecar without zip " + zip);
        }
        ModelCacheEntry entry;
        try {
            entry = parseSidecar(files.readAll(sidecar), zip);
        } catch (IllegalArgumentException | DateTimeParseException | IOException e) {
            return new Invalid("unreadable sidecar " + sidecar + ": " + e.getMessage());
        }
        if (!entry.id().equals(id)) {
            return new Invalid("sidecar " + sidecar + " describes key " + entry.id());
        }
        String actual = files.sha256(zip);
        if (!actual.equals(entry.zipSha256())) {
            return new Invalid("zip " + zip + " has SHA-256 " + actual + " but the sidecar records "
                    + entry.zipSha256());
        }
        return new Valid(entry);
    }

    static byte[] sidecarJson(ModelCacheEntry e) throws JsonProcessingException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("key", e.id());
        m.putAll(e.key().toMap());
        m.put("float_accuracy", e.floatAccuracy());
        m.put("provenance", new TreeMap<>(e.provenance()));
        m.put("zip_sha256", e.zipSha256());
        m.put("created", e.created().toString());
        return CanonicalJson.writePretty(new TreeMap<>(m)).getBytes(StandardCharsets.UTF_8);
    }

    static ModelCacheEntry parseSidecar(byte[] json, Path zip) throws IOException {
        JsonNode n = CanonicalJson.reader().readTree(json);
        if (!(n instanceof ObjectNode)) {
            throw new IllegalArgumentException("not a JSON object");
        }
        ModelCacheKey key = new ModelCacheKey(text(n, "architecture"), text(n, "dataset_sha256"),
                CanonicalJson.reader().forType(Map.class).readValue(required(n, "recipe")),
                required(n, "model_seed").asLong());
        if (!key.id().equals(text(n, "key"))) {
            throw new IllegalArgumentException("field 'key' " + text(n, "key") + " does not match its fields' hash "
                    + key.id());
        }
        Map<String, String> prov = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = required(n, "provenance").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            prov.put(f.getKey(), f.getValue().asText());
        }
        return new ModelCacheEntry(key, required(n, "float_accuracy").asDouble(Double.NaN), prov,
                text(n, "zip_sha256"), Instant.parse(text(n, "created")), zip);
    }

    private static JsonNode required(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            throw new IllegalArgumentException("missing field '" + field + "'");
        }
        return v;
    }

    private static String text(JsonNode n, String field) {
        return required(n, field).asText();
    }
}
