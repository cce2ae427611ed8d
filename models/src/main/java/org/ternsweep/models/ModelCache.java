package org.ternsweep.models;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.ternsweep.core.CanonicalJson;
import org.ternsweep.core.Sha256;
import org.ternsweep.data.CacheDirs;
import org.ternsweep.engine.Network;

/**
 * The content-addressed cache of float baselines (spec §7). An entry is {@code <root>/models/<key>.weights},
 * the network's state as raw float32 little-endian arrays ({@link WeightsFormat}), and {@code <key>.json},
 * its header: the format and its version, the key's fields, every array's name and shape, the payload's
 * size and SHA-256, the float accuracy, the build's provenance and the creation time. The key is
 * {@link ModelCacheKey#id()}.
 *
 * <p>Nothing in an entry is code. The cache never deserializes Java objects (the DL4J model zips of
 * format 0 were read with an {@code ObjectInputStream}, so whoever could write a shared cache could run
 * code in every executor): a header is parsed as JSON against a fixed schema, and a payload only fills
 * arrays of a network that {@link ModelZoo} builds, after its size and hash are checked. An old
 * {@code <key>.zip} is never opened; it is deleted with the entry it belonged to.
 *
 * <p>Integrity: an entry is used only if its header parses, has exactly the expected fields, names the
 * right key and format version, lists exactly the zoo network's arrays, and the payload has the size
 * and SHA-256 the header records. A corrupt, partial, foreign or old-format entry is logged on one line,
 * deleted and treated as missing, so it is rebuilt (retrained), never used. The payload is read once and
 * hashed in memory before it is decoded, so a file swapped after the check cannot be loaded.
 *
 * <p>Concurrency: a build holds the key's lock ({@code <key>.lock}, exclusive across threads and
 * processes), writes the payload and the header to temporary names in the same directory, syncs them and
 * renames them into place, payload first and header last. The header's appearance is the commit: a
 * reader either sees a complete entry or none. A second builder of the same key waits for the lock,
 * then finds the entry and reuses it. Reads of a complete entry take no lock; repairs do.
 *
 * <p>Permissions: the cache's directories are created {@code 0700} and its files {@code 0600}
 * ({@link org.ternsweep.core.FileModes}), whatever the umask.
 */
public final class ModelCache {
    /** The header's {@code format}. */
    static final String FORMAT = "ternsweep-weights";
    /**
     * The header's {@code format_version}; 1 is the first format without Java serialization (entries of
     * the DL4J-zip format, without a version, are rebuilt).
     */
    static final int FORMAT_VERSION = 1;
    /** A header is a few kilobytes; a bigger file is not read into memory. */
    private static final long MAX_HEADER_BYTES = 1 << 20;
    private static final Set<String> HEADER_FIELDS = Set.of("format", "format_version", "key", "architecture",
            "dataset_sha256", "recipe", "model_seed", "dtype", "arrays", "payload_bytes", "payload_sha256",
            "float_accuracy", "provenance", "created");
    private static final System.Logger LOG = System.getLogger(ModelCache.class.getName());

    /** Builds (trains) a model; the cache stores what it returns. */
    @FunctionalInterface
    public interface Builder {
        Built build() throws IOException;
    }

    /**
     * What a builder returns.
     *
     * @param network       the trained float network, of the key's architecture
     * @param floatAccuracy top-1 test accuracy of the float model, in [0, 1]
     * @param provenance    observed facts of the build (host, versions, training time …)
     */
    public record Built(Network network, double floatAccuracy, Map<String, String> provenance) {
        public Built {
            Objects.requireNonNull(network, "network");
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

    /** A parsed header: the entry's facts and the payload's declared layout. */
    private record Header(ModelCacheKey key, double floatAccuracy, Map<String, String> provenance,
                          String payloadSha256, long payloadBytes, Instant created, List<String> names,
                          List<int[]> shapes) {
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
     * The verified entry for {@code key}, with its network loaded, if there is one. A corrupt, partial or
     * old-format entry is deleted and reported as absent.
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
     * The entry for {@code key}, with its network loaded, building it with {@code builder} if it is
     * missing or broken. Concurrent callers (threads or processes) for one key build it once; the others
     * wait and reuse it. The entry's network is always the one read back from the stored payload, so a
     * model is bitwise the same whether it was just trained or found in the cache.
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
            try {
                Built built = Objects.requireNonNull(builder.build(),
                        "the model builder for " + id + " returned null instead of its network and accuracy");
                if (!built.network().architecture().equals(key.architecture())) {
                    throw new IllegalArgumentException("the model builder for " + id + " returned a "
                            + built.network().architecture() + " network for a " + key.architecture() + " key");
                }
                byte[] payload = WeightsFormat.encode(built.network());
                var payloadTmp = files.writeTemp(id + ".weights.", out -> {
                    out.write(payload);
                    return null;
                });
                byte[] json = headerJson(key, built, payloadTmp.getValue().sha256(), payload.length, Instant.now());
                var jsonTmp = files.writeTemp(id + ".json.", out -> {
                    out.write(json);
                    return null;
                });
                files.publish(payloadTmp.getKey(), weightsPath(id));
                files.publish(jsonTmp.getKey(), headerPath(id));
                LOG.log(System.Logger.Level.INFO, "model cache: stored {0} ({1}, float accuracy {2})", id,
                        key.architecture(), built.floatAccuracy());
            } finally {
                files.deleteTemps(id + ".");
            }
            State stored = inspect(key);
            if (stored instanceof Valid v) {
                return v.entry();
            }
            throw new IOException("model cache: the entry " + id + " just written to " + files.dir()
                    + " does not read back (" + (stored instanceof Invalid inv ? inv.reason() : "missing")
                    + "); is another process writing the cache directory?");
        }
    }

    private Path weightsPath(String id) {
        return files.file(id + ".weights");
    }

    private Path headerPath(String id) {
        return files.file(id + ".json");
    }

    /** Where format 0 kept the model (a DL4J zip); only ever deleted, never opened. */
    private Path legacyZipPath(String id) {
        return files.file(id + ".zip");
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
            files.deleteIfExists(headerPath(id));
            files.deleteIfExists(weightsPath(id));
            files.deleteIfExists(legacyZipPath(id));
        }
        return null;
    }

    private State inspect(ModelCacheKey key) throws IOException {
        String id = key.id();
        Path weights = weightsPath(id);
        Path header = headerPath(id);
        boolean hasWeights = files.exists(weights);
        boolean hasHeader = files.exists(header);
        if (!hasWeights && !hasHeader) {
            // a lone <key>.zip of format 0 is ignored: never opened, and replaced when the key is built
            return new Missing();
        }
        if (!hasHeader) {
            return new Invalid("payload without header " + header);
        }
        if (!hasWeights) {
            return new Invalid("header " + header + " without payload " + weights
                    + (files.exists(legacyZipPath(id)) ? " (an entry of the old DL4J-zip format)" : ""));
        }
        Header h;
        try {
            if (files.size(header) > MAX_HEADER_BYTES) {
                return new Invalid("header " + header + " has " + files.size(header) + " bytes, more than "
                        + MAX_HEADER_BYTES);
            }
            h = parseHeader(files.readAll(header));
        } catch (IllegalArgumentException | DateTimeParseException | IOException e) {
            return new Invalid("unreadable header " + header + ": " + e.getMessage());
        }
        if (!h.key().id().equals(id)) {
            return new Invalid("header " + header + " describes key " + h.key().id());
        }
        long size = files.size(weights);
        if (size != h.payloadBytes()) {
            return new Invalid("payload " + weights + " has " + size + " bytes but the header records "
                    + h.payloadBytes());
        }
        byte[] payload = files.readAll(weights);
        String actual = Sha256.of(payload);
        if (!actual.equals(h.payloadSha256())) {
            return new Invalid("payload " + weights + " has SHA-256 " + actual + " but the header records "
                    + h.payloadSha256());
        }
        Network net;
        try {
            net = WeightsFormat.decode(key.architecture(), key.input(), h.names(), h.shapes(), payload);
        } catch (IllegalArgumentException e) {
            return new Invalid("payload " + weights + " does not fit " + key.architecture() + ": " + e.getMessage());
        }
        return new Valid(new ModelCacheEntry(h.key(), h.floatAccuracy(), h.provenance(), h.payloadSha256(),
                h.created(), weights, net));
    }

    static byte[] headerJson(ModelCacheKey key, Built built, String payloadSha256, long payloadBytes,
                             Instant created) throws JsonProcessingException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", FORMAT);
        m.put("format_version", FORMAT_VERSION);
        m.put("key", key.id());
        m.putAll(key.toMap());
        m.put("dtype", WeightsFormat.DTYPE);
        List<Map<String, Object>> arrays = new ArrayList<>();
        for (WeightsFormat.Array a : WeightsFormat.state(built.network())) {
            Map<String, Object> am = new TreeMap<>();
            am.put("name", a.name());
            am.put("shape", a.shape());
            arrays.add(am);
        }
        m.put("arrays", arrays);
        m.put("payload_bytes", payloadBytes);
        m.put("payload_sha256", payloadSha256);
        m.put("float_accuracy", built.floatAccuracy());
        m.put("provenance", new TreeMap<>(built.provenance()));
        m.put("created", created.toString());
        return CanonicalJson.writePretty(new TreeMap<>(m)).getBytes(StandardCharsets.UTF_8);
    }

    private static Header parseHeader(byte[] json) throws IOException {
        JsonNode n = CanonicalJson.reader().readTree(json);
        if (!(n instanceof ObjectNode)) {
            throw new IllegalArgumentException("not a JSON object");
        }
        Set<String> fields = new TreeSet<>();
        n.fieldNames().forEachRemaining(fields::add);
        if (!fields.equals(HEADER_FIELDS)) {
            Set<String> missing = new TreeSet<>(HEADER_FIELDS);
            missing.removeAll(fields);
            Set<String> extra = new TreeSet<>(fields);
            extra.removeAll(HEADER_FIELDS);
            throw new IllegalArgumentException("not a " + FORMAT + " header: missing fields " + missing
                    + ", unknown fields " + extra);
        }
        if (!FORMAT.equals(text(n, "format")) || !required(n, "format_version").isInt()
                || required(n, "format_version").asInt() != FORMAT_VERSION) {
            throw new IllegalArgumentException("format " + text(n, "format") + " version "
                    + required(n, "format_version") + "; this build reads " + FORMAT + " version " + FORMAT_VERSION);
        }
        if (!WeightsFormat.DTYPE.equals(text(n, "dtype"))) {
            throw new IllegalArgumentException("dtype " + text(n, "dtype") + "; only " + WeightsFormat.DTYPE
                    + " is read");
        }
        ModelCacheKey key = new ModelCacheKey(text(n, "architecture"), text(n, "dataset_sha256"),
                CanonicalJson.reader().forType(Map.class).readValue(required(n, "recipe")),
                integer(n, "model_seed"));
        if (!key.id().equals(text(n, "key"))) {
            throw new IllegalArgumentException("field 'key' " + text(n, "key") + " does not match its fields' hash "
                    + key.id());
        }
        List<String> names = new ArrayList<>();
        List<int[]> shapes = new ArrayList<>();
        JsonNode arrays = required(n, "arrays");
        if (!arrays.isArray()) {
            throw new IllegalArgumentException("field 'arrays' must be a list of {name, shape}");
        }
        for (JsonNode a : arrays) {
            JsonNode shape = required(a, "shape");
            if (!a.isObject() || a.size() != 2 || !required(a, "name").isTextual() || !shape.isArray()) {
                throw new IllegalArgumentException("an element of 'arrays' is not {name: text, shape: [ints]}: " + a);
            }
            int[] dims = new int[shape.size()];
            for (int i = 0; i < dims.length; i++) {
                if (!shape.get(i).isInt() || shape.get(i).asInt() < 1) {
                    throw new IllegalArgumentException("array " + a.get("name").asText() + " has shape " + shape
                            + "; dimensions are positive integers");
                }
                dims[i] = shape.get(i).asInt();
            }
            names.add(a.get("name").asText());
            shapes.add(dims);
        }
        Map<String, String> prov = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = required(n, "provenance").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            prov.put(f.getKey(), f.getValue().asText());
        }
        String sha = text(n, "payload_sha256");
        if (!Sha256.isHex(sha)) {
            throw new IllegalArgumentException("payload_sha256 '" + sha + "' is not 64 lower-case hex digits");
        }
        double accuracy = required(n, "float_accuracy").asDouble(Double.NaN);
        if (!(accuracy >= 0 && accuracy <= 1)) {
            throw new IllegalArgumentException("float_accuracy " + required(n, "float_accuracy") + " is not in [0, 1]");
        }
        return new Header(key, accuracy, prov, sha,
                integer(n, "payload_bytes"), Instant.parse(text(n, "created")), names, shapes);
    }

    private static JsonNode required(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            throw new IllegalArgumentException("missing field '" + field + "'");
        }
        return v;
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = required(n, field);
        if (!v.isTextual()) {
            throw new IllegalArgumentException("field '" + field + "' must be a string, is " + v);
        }
        return v.asText();
    }

    private static long integer(JsonNode n, String field) {
        JsonNode v = required(n, field);
        if (!v.canConvertToLong() || !v.isIntegralNumber()) {
            throw new IllegalArgumentException("field '" + field + "' must be an integer, is " + v);
        }
        return v.asLong();
    }
}
