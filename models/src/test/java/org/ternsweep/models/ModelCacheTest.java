package org.ternsweep.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ternsweep.core.CanonicalJson;
import org.ternsweep.core.Sha256;
import org.ternsweep.data.InputShape;
import org.ternsweep.engine.Network;

class ModelCacheTest {
    static final String DATA_SHA = "14410854cf7a289477dcfc7df3f8ec24741e281cdcc425ede0d9a748ca630214";

    @TempDir
    Path root;

    static ModelCacheKey key(String arch, int epochs) {
        Map<String, Object> recipe = new LinkedHashMap<>();
        recipe.put("optimizer", "adam");
        recipe.put("lr", 1e-3);
        recipe.put("epochs", epochs);
        recipe.put("batch", 128);
        return new ModelCacheKey(arch, DATA_SHA, recipe, 0);
    }

    /** A builder of {@code key}'s architecture, initialised with {@code seed}, that counts its calls. */
    static ModelCache.Builder building(ModelCacheKey key, long seed, AtomicInteger calls) {
        return () -> {
            calls.incrementAndGet();
            return new ModelCache.Built(Dl4jBridgeTest.randomised(key.architecture(), seed), 0.9123,
                    Map.of("host", "test", "seed", Long.toString(seed)));
        };
    }

    /** Every array of the network's state, by name. */
    static Map<String, float[]> state(Network net) {
        Map<String, float[]> m = new TreeMap<>();
        WeightsFormat.state(net).forEach(a -> m.put(a.name(), a.values()));
        return m;
    }

    static void assertSameState(Network expected, Network actual) {
        Map<String, float[]> e = state(expected);
        Map<String, float[]> a = state(actual);
        assertEquals(e.keySet(), a.keySet());
        for (String name : e.keySet()) {
            float[] x = e.get(name);
            float[] y = a.get(name);
            assertEquals(x.length, y.length, name);
            for (int i = 0; i < x.length; i++) {
                assertEquals(Float.floatToRawIntBits(x[i]), Float.floatToRawIntBits(y[i]), name + "[" + i + "]");
            }
        }
    }

    private Path models() {
        return root.resolve("models");
    }

    private List<String> files() throws IOException {
        try (Stream<Path> s = Files.list(models())) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aColourModelIsStoredAndReadBackForItsShapeWithoutChangingTheAddress() throws Exception {
        InputShape cifar = new InputShape(3, 32, 32, 10);
        ModelCacheKey grey = key("cnn-small", 1);
        ModelCacheKey colour = new ModelCacheKey("cnn-small", DATA_SHA, grey.recipe(), 0, cifar);
        // the shape follows from the dataset hash, so it is not hashed: existing addresses stay
        assertEquals(grey.id(), colour.id());
        Network net = ModelZoo.build("cnn-small", cifar, 5);
        ModelCache cache = new ModelCache(root);
        cache.getOrBuild(colour, () -> new ModelCache.Built(net, 0.5, Map.of("host", "test")));
        ModelCacheEntry read = new ModelCache(root).lookup(colour).orElseThrow();
        assertSameState(net, read.network());
        assertEquals(3, read.network().weightLayer("conv1").weight().shape()[1]);
    }

    @Test
    void keyIsCanonicalAndSensitiveToEveryField() {
        Map<String, Object> reordered = new LinkedHashMap<>();
        reordered.put("batch", 128);
        reordered.put("epochs", 10);
        reordered.put("lr", 1e-3);
        reordered.put("optimizer", "adam");
        ModelCacheKey k = key("cnn-small", 10);
        assertEquals(k.id(), new ModelCacheKey("cnn-small", DATA_SHA, reordered, 0).id());
        assertEquals("{\"architecture\":\"cnn-small\",\"dataset_sha256\":\"" + DATA_SHA + "\",\"model_seed\":0,"
                + "\"recipe\":{\"batch\":128,\"epochs\":10,\"lr\":0.001,\"optimizer\":\"adam\"}}", k.canonicalJson());
        assertEquals(Sha256.of(k.canonicalJson().getBytes(StandardCharsets.UTF_8)), k.id());
        assertNotEquals(k.id(), key("cnn-small", 1).id(), "a short recipe never shadows the full one");
        assertNotEquals(k.id(), key("resnet-8", 10).id());
        assertNotEquals(k.id(), new ModelCacheKey("cnn-small", DATA_SHA, reordered, 1).id());
        assertNotEquals(k.id(), new ModelCacheKey("cnn-small", "1".repeat(64), reordered, 0).id());
        assertThrows(IllegalArgumentException.class, () -> new ModelCacheKey("cnn-small", "xyz", reordered, 0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ModelCacheKey("cnn-small", DATA_SHA, Map.of("when", new Object()), 0));
        assertTrue(e.getMessage().contains("recipe.when is a java.lang.Object"), e.getMessage());
    }

    @Test
    void roundTripIsBitwiseAndPrivate() throws Exception {
        ModelCache cache = new ModelCache(root);
        ModelCacheKey k = key("resnet-8", 10);
        assertEquals(Optional.empty(), cache.lookup(k));
        AtomicInteger calls = new AtomicInteger();
        ModelCacheEntry built = cache.getOrBuild(k, building(k, 7, calls));
        assertEquals(models().resolve(k.id() + ".weights"), built.weights());
        assertSameState(Dl4jBridgeTest.randomised("resnet-8", 7), built.network());

        ModelCacheEntry found = cache.lookup(k).orElseThrow();
        assertEquals(k, found.key());
        assertEquals(0.9123, found.floatAccuracy());
        assertEquals(Map.of("host", "test", "seed", "7"), found.provenance());
        assertEquals(Sha256.of(Files.readAllBytes(found.weights())), found.payloadSha256());
        assertEquals(built.created(), found.created());
        assertSameState(built.network(), found.network());
        assertEquals(built.payloadSha256(), cache.getOrBuild(k, building(k, 8, calls)).payloadSha256());
        assertEquals(1, calls.get(), "built once, then reused");

        String header = Files.readString(models().resolve(k.id() + ".json"));
        for (String field : List.of("\"format\" : \"ternsweep-weights\"", "\"format_version\" : 1", "\"key\"",
                "\"architecture\"", "\"dataset_sha256\"", "\"recipe\"", "\"model_seed\"", "\"dtype\" : \"float32-le\"",
                "\"arrays\"", "\"stem.bn.running_var\"", "\"payload_bytes\"", "\"payload_sha256\"",
                "\"float_accuracy\"", "\"provenance\"", "\"created\"")) {
            assertTrue(header.contains(field), field + " in " + header);
        }
        assertEquals(List.of(k.id() + ".json", k.id() + ".lock", k.id() + ".weights"), files(),
                "no temporary files left");
        if (Files.getFileStore(root).supportsFileAttributeView("posix")) {
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(models())));
            for (String f : files()) {
                assertEquals("rw-------", PosixFilePermissions.toString(
                        Files.getPosixFilePermissions(models().resolve(f))), f);
            }
        }
    }

    @Test
    void corruptPayloadIsDetectedDeletedAndRebuilt() throws Exception {
        ModelCache cache = new ModelCache(root);
        ModelCacheKey k = key("cnn-small", 10);
        AtomicInteger calls = new AtomicInteger();
        ModelCacheEntry e = cache.getOrBuild(k, building(k, 1, calls));
        byte[] bytes = Files.readAllBytes(e.weights());
        bytes[bytes.length / 2] ^= 0x01; // one bit of one weight: same size, another hash
        Files.write(e.weights(), bytes);
        assertEquals(Optional.empty(), cache.lookup(k), "a payload whose hash differs from the header is never used");
        assertFalse(Files.exists(e.weights()));
        assertFalse(Files.exists(models().resolve(k.id() + ".json")));

        ModelCacheEntry again = cache.getOrBuild(k, building(k, 1, calls));
        Files.write(again.weights(), java.util.Arrays.copyOf(bytes, bytes.length / 2)); // truncated
        ModelCacheEntry rebuilt = cache.getOrBuild(k, building(k, 1, calls));
        assertEquals(3, calls.get());
        assertSameState(Dl4jBridgeTest.randomised("cnn-small", 1), rebuilt.network());
    }

    @Test
    void partialEntryIsRebuilt() throws Exception {
        ModelCache cache = new ModelCache(root);
        ModelCacheKey k = key("cnn-small", 10);
        Files.createDirectories(models());
        Files.writeString(models().resolve(k.id() + ".weights"), "half a model, no header");
        assertEquals(Optional.empty(), cache.lookup(k));
        assertFalse(Files.exists(models().resolve(k.id() + ".weights")), "the partial payload is deleted");

        Files.writeString(models().resolve(k.id() + ".weights"), "half a model, no header");
        AtomicInteger calls = new AtomicInteger();
        ModelCacheEntry e = cache.getOrBuild(k, building(k, 2, calls));
        assertEquals(1, calls.get());
        assertSameState(Dl4jBridgeTest.randomised("cnn-small", 2), e.network());
    }

    @Test
    void unreadableForeignOrLyingHeadersAreRebuilt() throws Exception {
        ModelCache cache = new ModelCache(root);
        ModelCacheKey k = key("cnn-small", 10);
        ModelCacheKey other = key("cnn-small", 3);
        AtomicInteger calls = new AtomicInteger();
        Path header = models().resolve(k.id() + ".json");
        Path weights = models().resolve(k.id() + ".weights");
        cache.getOrBuild(k, building(k, 1, calls));
        Files.writeString(header, "{ not json");
        assertEquals(Optional.empty(), cache.lookup(k));

        cache.getOrBuild(k, building(k, 1, calls));
        ModelCacheEntry o = cache.getOrBuild(other, building(other, 1, calls));
        Files.copy(models().resolve(o.id() + ".json"), header, StandardCopyOption.REPLACE_EXISTING);
        assertEquals(Optional.empty(), cache.lookup(k), "a header describing another key is not trusted");

        cache.getOrBuild(k, building(k, 1, calls));
        String good = Files.readString(header);
        Files.writeString(header, good.replace("\"format_version\" : 1", "\"format_version\" : 2"));
        assertEquals(Optional.empty(), cache.lookup(k), "another format version is not read");

        cache.getOrBuild(k, building(k, 1, calls));
        Files.writeString(header, good.replace("\"dtype\"", "\"class\" : \"java.lang.Runtime\",\n  \"dtype\""));
        assertEquals(Optional.empty(), cache.lookup(k), "a header with unknown fields is not read");

        // Size and hash consistent, but the arrays are resnet-8's under a cnn-small key: the layout check refuses.
        Network resnet = Dl4jBridgeTest.randomised("resnet-8", 1);
        byte[] payload = WeightsFormat.encode(resnet);
        Files.write(weights, payload);
        Files.write(header, ModelCache.headerJson(k, new ModelCache.Built(resnet, 0.5, Map.of()), Sha256.of(payload),
                payload.length, Instant.now()));
        assertEquals(Optional.empty(), cache.lookup(k), "a payload that does not fit the architecture is not read");
        assertEquals(List.of(k.id() + ".lock", o.id() + ".json", o.id() + ".lock", o.id() + ".weights"), files());
        assertEquals(5, calls.get());
    }

    /** Records whether Java deserialization ever ran on it: its {@code readObject} sets {@link #READ}. */
    static final class Tripwire implements java.io.Serializable {
        private static final long serialVersionUID = 1L;
        static final AtomicInteger READ = new AtomicInteger();

        private void readObject(java.io.ObjectInputStream in) throws IOException, ClassNotFoundException {
            in.defaultReadObject();
            READ.incrementAndGet();
        }
    }

    /** A DL4J model zip of {@code net} with an extra {@code preprocessor.bin} holding a serialized {@link Tripwire}. */
    static byte[] tamperedZip(Network net) throws IOException {
        ByteArrayOutputStream plain = new ByteArrayOutputStream();
        Dl4jBridge.save(net, plain);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipInputStream in = new ZipInputStream(new java.io.ByteArrayInputStream(plain.toByteArray()));
             ZipOutputStream zip = new ZipOutputStream(out)) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                zip.putNextEntry(new ZipEntry(e.getName()));
                zip.write(in.readAllBytes());
                zip.closeEntry();
            }
            zip.putNextEntry(new ZipEntry("preprocessor.bin"));
            ByteArrayOutputStream obj = new ByteArrayOutputStream();
            try (ObjectOutputStream oos = new ObjectOutputStream(obj)) {
                oos.writeObject(new Tripwire());
            }
            zip.write(obj.toByteArray());
            zip.closeEntry();
        }
        return out.toByteArray();
    }

    @Test
    void aTamperedDl4jZipWhereAnEntryLivesIsNeverDeserialized() throws Exception {
        ModelCacheKey k = key("cnn-small", 10);
        byte[] zip = tamperedZip(Dl4jBridgeTest.randomised("cnn-small", 5));
        // The reproduction is real: DL4J's reader (the cache's load path before format 1) runs readObject,
        // and only then finds that the object is no DataSetPreProcessor.
        Tripwire.READ.set(0);
        assertThrows(ClassCastException.class, () -> org.deeplearning4j.util.ModelSerializer.restoreComputationGraph(
                new java.io.ByteArrayInputStream(zip), false));
        assertEquals(1, Tripwire.READ.get(), "DL4J deserializes preprocessor.bin");
        Tripwire.READ.set(0);

        // As format 0 stored it: <key>.zip and a sidecar whose hash matches the zip.
        Files.createDirectories(models());
        Files.write(models().resolve(k.id() + ".zip"), zip);
        Map<String, Object> sidecar = new TreeMap<>(k.toMap());
        sidecar.put("key", k.id());
        sidecar.put("float_accuracy", 0.9);
        sidecar.put("provenance", Map.of());
        sidecar.put("zip_sha256", Sha256.of(zip));
        sidecar.put("created", Instant.now().toString());
        Files.writeString(models().resolve(k.id() + ".json"), CanonicalJson.writePretty(sidecar));
        ModelCache cache = new ModelCache(root);
        AtomicInteger calls = new AtomicInteger();
        ModelCacheEntry e = cache.getOrBuild(k, building(k, 3, calls));
        assertEquals(1, calls.get(), "the old entry is rebuilt");
        assertSameState(Dl4jBridgeTest.randomised("cnn-small", 3), e.network());
        assertFalse(Files.exists(models().resolve(k.id() + ".zip")), "the old zip is deleted, unopened");

        // The zip as the payload, with a header whose size and hash match it: still only numbers, and refused.
        Path weights = models().resolve(k.id() + ".weights");
        Files.write(weights, zip);
        String header = Files.readString(models().resolve(k.id() + ".json"));
        Files.writeString(models().resolve(k.id() + ".json"), header
                .replace(e.payloadSha256(), Sha256.of(zip))
                .replaceAll("\"payload_bytes\" : \\d+", "\"payload_bytes\" : " + zip.length));
        assertEquals(Optional.empty(), cache.lookup(k));
        assertEquals(0, Tripwire.READ.get(), "nothing was deserialized");
    }

    @Test
    void failingBuilderLeavesNothingBehind() throws Exception {
        ModelCache cache = new ModelCache(root);
        ModelCacheKey k = key("cnn-small", 10);
        IOException boom = assertThrows(IOException.class, () -> cache.getOrBuild(k, () -> {
            throw new IOException("training diverged");
        }));
        assertEquals("training diverged", boom.getMessage());
        assertEquals(List.of(k.id() + ".lock"), files());
        assertEquals(Optional.empty(), cache.lookup(k));
        Network net = ModelZoo.build("cnn-small", 0);
        assertThrows(IllegalArgumentException.class, () -> new ModelCache.Built(net, 91.2, Map.of()),
                "accuracy is a fraction");
        ModelCacheKey resnet = key("resnet-8", 10);
        IllegalArgumentException wrong = assertThrows(IllegalArgumentException.class,
                () -> cache.getOrBuild(resnet, () -> new ModelCache.Built(net, 0.5, Map.of())));
        assertTrue(wrong.getMessage().contains("returned a cnn-small network for a resnet-8 key"), wrong.getMessage());
    }

    @Test
    void twoThreadsBuildingTheSameKeyBuildOnce() throws Exception {
        ModelCacheKey k = key("resnet-8", 10);
        AtomicInteger calls = new AtomicInteger();
        // Two instances on one root, as two executors' tasks in one JVM would have.
        ModelCache first = new ModelCache(root);
        ModelCache second = new ModelCache(root);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Thread[] secondThread = new Thread[1];
            java.util.concurrent.CountDownLatch secondStarted = new java.util.concurrent.CountDownLatch(1);
            Future<ModelCacheEntry> a = pool.submit(() -> first.getOrBuild(k, () -> {
                calls.incrementAndGet();
                // Hold the build until the second caller is parked on the key's lock, so the two
                // really overlap (a thread state, not a timing, decides when to go on).
                try {
                    secondStarted.await();
                    while (secondThread[0].getState() != Thread.State.WAITING) {
                        Thread.onSpinWait();
                    }
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while holding the build", ie);
                }
                return new ModelCache.Built(ModelZoo.build("resnet-8", 1), 0.92, Map.of("by", "first"));
            }));
            while (calls.get() == 0) {
                Thread.onSpinWait();
            }
            Future<ModelCacheEntry> b = pool.submit(() -> {
                secondThread[0] = Thread.currentThread();
                secondStarted.countDown();
                return second.getOrBuild(k, building(k, 2, calls));
            });
            ModelCacheEntry ea = a.get(60, TimeUnit.SECONDS);
            ModelCacheEntry eb = b.get(60, TimeUnit.SECONDS);
            assertEquals(1, calls.get(), "built once");
            assertEquals(ea.payloadSha256(), eb.payloadSha256(), "both get the same valid entry");
            assertEquals(Map.of("by", "first"), eb.provenance());
            assertSameState(ModelZoo.build("resnet-8", 1), eb.network());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aSecondJvmWaitsForTheBuildAndReusesIt() throws Exception {
        ModelCache cache = new ModelCache(root);
        ModelCacheKey k = key("cnn-small", 10);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process[] child = new Process[1];
        BufferedReader[] childOut = new BufferedReader[1];
        ModelCacheEntry mine = cache.getOrBuild(k, () -> {
            ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                    ModelCacheChild.class.getName(), root.toString()).redirectErrorStream(true);
            child[0] = pb.start();
            childOut[0] = new BufferedReader(new InputStreamReader(child[0].getInputStream(), StandardCharsets.UTF_8));
            String first = childOut[0].readLine();
            if (!"STARTING".equals(first)) {
                throw new IOException("child JVM did not start as expected: " + first);
            }
            return new ModelCache.Built(ModelZoo.build("cnn-small", 4), 0.9, Map.of("by", "parent"));
        });
        StringBuilder rest = new StringBuilder();
        String line;
        while ((line = childOut[0].readLine()) != null) {
            rest.append(line).append('\n');
        }
        assertTrue(child[0].waitFor(60, TimeUnit.SECONDS), "child JVM finished");
        assertEquals(0, child[0].exitValue(), rest.toString());
        assertTrue(rest.toString().strip().endsWith("REUSED " + mine.payloadSha256()),
                "the other process reused the entry: " + rest);
        assertArrayEquals(Files.readAllBytes(mine.weights()), WeightsFormat.encode(ModelZoo.build("cnn-small", 4)));
    }
}
