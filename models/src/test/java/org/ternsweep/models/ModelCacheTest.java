package org.ternsweep.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ternsweep.core.Sha256;

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

    /** A builder that writes {@code payload} and counts its calls. */
    private static ModelCache.Builder writing(String payload, AtomicInteger calls) {
        return out -> {
            calls.incrementAndGet();
            out.write(payload.getBytes(StandardCharsets.UTF_8));
            out.close(); // builders may close the stream (DL4J's writers do); the cache must not mind
            return new ModelCache.Built(0.9123, Map.of("host", "test", "epochs_run", "10"));
        };
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
    void roundTrip() throws Exception {
        ModelCache cache = new ModelCache(root);
        ModelCacheKey k = key("cnn-small", 10);
        assertEquals(Optional.empty(), cache.lookup(k));
        AtomicInteger calls = new AtomicInteger();
        ModelCacheEntry built = cache.getOrBuild(k, writing("model bytes", calls));
        assertEquals(root.resolve("models").resolve(k.id() + ".zip"), built.zip());
        assertTrue(Files.exists(root.resolve("models").resolve(k.id() + ".json")));

        ModelCacheEntry found = cache.lookup(k).orElseThrow();
        assertEquals(k, found.key());
        assertEquals(0.9123, found.floatAccuracy());
        assertEquals(Map.of("host", "test", "epochs_run", "10"), found.provenance());
        assertEquals(Sha256.of("model bytes".getBytes(StandardCharsets.UTF_8)), found.zipSha256());
        assertEquals(built.created(), found.created());
        try (InputStream in = cache.openZip(found)) {
            assertArrayEquals("model bytes".getBytes(StandardCharsets.UTF_8), in.readAllBytes());
        }
        assertEquals(found, cache.getOrBuild(k, writing("other", calls)));
        assertEquals(1, calls.get(), "built once, then reused");

        String sidecar = Files.readString(root.resolve("models").resolve(k.id() + ".json"));
        for (String field : List.of("\"key\"", "\"architecture\"", "\"dataset_sha256\"", "\"recipe\"", "\"model_seed\"",
                "\"float_accuracy\"", "\"provenance\"", "\"zip_sha256\"", "\"created\"")) {
            assertTrue(sidecar.contains(field), field + " in " + sidecar);
        }
        try (Stream<Path> s = Files.list(root.resolve("models"))) {
            assertEquals(List.of(k.id() + ".json", k.id() + ".lock", k.id() + ".zip"),
                    s.map(p -> p.getFileName().toString()).sorted().toList(), "no temporary files left");
        }
    }

    @Test
    void corruptZipIsDetectedDeletedAndRebuilt() throws Exception {
        ModelCache cache = new ModelCache(root);
        ModelCacheKey k = key("cnn-small", 10);
        AtomicInteger calls = new AtomicInteger();
        ModelCacheEntry e = cache.getOrBuild(k, writing("good model", calls));
        Files.writeString(e.zip(), "good modeX");
        assertEquals(Optional.empty(), cache.lookup(k), "a zip whose hash differs from the sidecar is never used");
        assertFalse(Files.exists(e.zip()));
        assertFalse(Files.exists(root.resolve("models").resolve(k.id() + ".json")));

        Files.writeString(cache.getOrBuild(k, writing("good model", calls)).zip(), "truncat");
        ModelCacheEntry rebuilt = cache.getOrBuild(k, writing("good model", calls));
        assertEquals(3, calls.get());
        assertEquals("good model", Files.readString(rebuilt.zip()));
    }

    @Test
    void partialEntryIsRebuilt() throws Exception {
        ModelCache cache = new ModelCache(root);
        ModelCacheKey k = key("cnn-small", 10);
        Path models = root.resolve("models");
        Files.createDirectories(models);
        Files.writeString(models.resolve(k.id() + ".zip"), "half a model, no sidecar");
        assertEquals(Optional.empty(), cache.lookup(k));
        assertFalse(Files.exists(models.resolve(k.id() + ".zip")), "the partial zip is deleted");

        Files.writeString(models.resolve(k.id() + ".zip"), "half a model, no sidecar");
        AtomicInteger calls = new AtomicInteger();
        ModelCacheEntry e = cache.getOrBuild(k, writing("whole model", calls));
        assertEquals(1, calls.get());
        assertEquals("whole model", Files.readString(e.zip()));
    }

    @Test
    void unreadableOrForeignSidecarIsRebuilt() throws Exception {
        ModelCache cache = new ModelCache(root);
        ModelCacheKey k = key("cnn-small", 10);
        ModelCacheKey other = key("cnn-small", 3);
        AtomicInteger calls = new AtomicInteger();
        Path sidecar = root.resolve("models").resolve(k.id() + ".json");
        cache.getOrBuild(k, writing("m", calls));
        Files.writeString(sidecar, "{ not json");
        assertEquals(Optional.empty(), cache.lookup(k));

        cache.getOrBuild(k, writing("m", calls));
        ModelCacheEntry o = cache.getOrBuild(other, writing("m", calls));
        Files.copy(root.resolve("models").resolve(o.id() + ".json"), sidecar, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertEquals(Optional.empty(), cache.lookup(k), "a sidecar describing another key is not trusted");
        assertEquals(3, calls.get());
    }

    @Test
    void failingBuilderLeavesNothingBehind() throws Exception {
        ModelCache cache = new ModelCache(root);
        ModelCacheKey k = key("cnn-small", 10);
        IOException boom = assertThrows(IOException.class, () -> cache.getOrBuild(k, out -> {
            out.write(new byte[1000]);
            throw new IOException("training diverged");
        }));
        assertEquals("training diverged", boom.getMessage());
        try (Stream<Path> s = Files.list(root.resolve("models"))) {
            assertEquals(List.of(k.id() + ".lock"), s.map(p -> p.getFileName().toString()).toList());
        }
        assertEquals(Optional.empty(), cache.lookup(k));
        assertThrows(IllegalArgumentException.class, () -> new ModelCache.Built(91.2, Map.of()),
                "accuracy is a fraction");
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
            Future<ModelCacheEntry> a = pool.submit(() -> first.getOrBuild(k, out -> {
                calls.incrementAndGet();
                out.write("first".getBytes(StandardCharsets.UTF_8));
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
                return new ModelCache.Built(0.92, Map.of("by", "first"));
            }));
            while (calls.get() == 0) {
                Thread.onSpinWait();
            }
            Future<ModelCacheEntry> b = pool.submit(() -> {
                secondThread[0] = Thread.currentThread();
                secondStarted.countDown();
                return second.getOrBuild(k, writing("second", calls));
            });
            ModelCacheEntry ea = a.get(60, TimeUnit.SECONDS);
            ModelCacheEntry eb = b.get(60, TimeUnit.SECONDS);
            assertEquals(1, calls.get(), "built once");
            assertEquals(ea, eb, "both get the same valid entry");
            assertEquals("first", Files.readString(eb.zip()));
            assertEquals(Map.of("by", "first"), eb.provenance());
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
        ModelCacheEntry mine = cache.getOrBuild(k, out -> {
            ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                    ModelCacheChild.class.getName(), root.toString()).redirectErrorStream(true);
            child[0] = pb.start();
            childOut[0] = new BufferedReader(new InputStreamReader(child[0].getInputStream(), StandardCharsets.UTF_8));
            String first = childOut[0].readLine();
            if (!"STARTING".equals(first)) {
                throw new IOException("child JVM did not start as expected: " + first);
            }
            out.write("parent".getBytes(StandardCharsets.UTF_8));
            return new ModelCache.Built(0.9, Map.of("by", "parent"));
        });
        StringBuilder rest = new StringBuilder();
        String line;
        while ((line = childOut[0].readLine()) != null) {
            rest.append(line).append('\n');
        }
        assertTrue(child[0].waitFor(60, TimeUnit.SECONDS), "child JVM finished");
        assertEquals(0, child[0].exitValue(), rest.toString());
        assertEquals("REUSED " + mine.zipSha256(), rest.toString().strip(), "the other process reused the entry");
        assertSame(null, cache.lookup(k).filter(e -> !e.equals(mine)).orElse(null));
    }
}
