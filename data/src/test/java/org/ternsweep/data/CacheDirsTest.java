package org.ternsweep.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
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

    /** What bin/ternsweep reads: the root for a --cache value, as {@code ternsweep run} resolves it. */
    @Test
    void mainPrintsTheRootForTheLauncher() {
        PrintStream saved = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            CacheDirs.main(new String[]{"relative/cache"});
        } finally {
            System.setOut(saved);
        }
        assertEquals(CacheDirs.resolve("relative/cache") + System.lineSeparator(),
                buf.toString(StandardCharsets.UTF_8));
        assertEquals(Path.of("relative/cache").toAbsolutePath().normalize(), CacheDirs.resolve("relative/cache"));
    }

    @Test
    void layoutUnderTheRoot() {
        Path root = Path.of("/c");
        assertEquals(Path.of("/c/datasets/mnist"), CacheDirs.datasets(root, "mnist"));
        assertEquals(Path.of("/c/models"), CacheDirs.models(root));
    }
}
