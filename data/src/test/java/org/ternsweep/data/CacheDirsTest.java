package org.ternsweep.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CacheDirsTest {
    private static final Path HOME = Path.of("/home/someone");

    @Test
    void cliBeatsEnvBeatsHome() {
        Map<String, String> env = Map.of(CacheDirs.ENV, "/env/cache");
        assertEquals(Path.of("/cli/cache"), CacheDirs.resolve("/cli/cache", env, HOME));
        assertEquals(Path.of("/env/cache"), CacheDirs.resolve(null, env, HOME));
        assertEquals(Path.of("/home/someone/.cache/ternsweep"), CacheDirs.resolve(null, Map.of(), HOME));
    }

    @Test
    void blankValuesCountAsUnset() {
        assertEquals(Path.of("/env/cache"), CacheDirs.resolve("  ", Map.of(CacheDirs.ENV, "/env/cache"), HOME));
        assertEquals(Path.of("/home/someone/.cache/ternsweep"), CacheDirs.resolve("", Map.of(CacheDirs.ENV, ""), HOME));
    }

    @Test
    void layoutUnderTheRoot() {
        Path root = Path.of("/c");
        assertEquals(Path.of("/c/datasets/mnist"), CacheDirs.datasets(root, "mnist"));
        assertEquals(Path.of("/c/models"), CacheDirs.models(root));
    }
}
