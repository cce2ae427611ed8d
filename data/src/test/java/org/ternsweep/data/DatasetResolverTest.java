package org.ternsweep.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each resolution step on its own, their order, and the not-found message; no real environment is read. */
class DatasetResolverTest {
    private static final DatasetSpec FM = DatasetSpec.FASHION_MNIST;

    @TempDir
    Path tmp;
    private Path explicit;
    private Path system;
    private Path cache;

    @BeforeEach
    void dirs() {
        explicit = tmp.resolve("explicit");
        system = tmp.resolve("system");
        cache = tmp.resolve("cache");
    }

    private ResolverConfig cfg(Path explicitPath) {
        return new ResolverConfig(explicitPath, system, cache, false, Duration.ofSeconds(2));
    }

    @Test
    void explicitPathWinsOverEverything() throws Exception {
        TestIdx.touchAll(explicit, FM);
        TestIdx.touchAll(system.resolve("fashion-mnist"), FM);
        TestIdx.touchAll(CacheDirs.datasets(cache, "fashion-mnist"), FM);
        DatasetResolver.Location l = DatasetResolver.resolve(FM, cfg(explicit));
        assertEquals(DatasetResolver.Source.EXPLICIT, l.source());
        assertEquals(explicit, l.dir());
    }

    @Test
    void explicitPathMayHoldANamedSubdirectory() throws Exception {
        TestIdx.touchAll(explicit.resolve("fashion-mnist"), FM);
        assertEquals(explicit.resolve("fashion-mnist"), DatasetResolver.resolve(FM, cfg(explicit)).dir());
    }

    @Test
    void incompleteExplicitPathIsAnErrorNotAFallback() throws Exception {
        TestIdx.touchAll(explicit, FM);
        Files.delete(explicit.resolve("t10k-labels-idx1-ubyte.gz"));
        TestIdx.touchAll(system.resolve("fashion-mnist"), FM);
        DatasetException e = assertThrows(DatasetException.class, () -> DatasetResolver.resolve(FM, cfg(explicit)));
        assertTrue(e.getMessage().contains("explicit path " + explicit + ": missing t10k-labels-idx1-ubyte.gz"),
                e.getMessage());
        assertTrue(e.getMessage().contains("the data directory given (--data, or TERNSWEEP_DATA)"), e.getMessage());
        assertTrue(e.getMessage().contains("drop --data and unset TERNSWEEP_DATA"), e.getMessage());
        assertTrue(e.getMessage().contains(FM.installHint()), "says how to install: " + e.getMessage());
    }

    @Test
    void theDataDirectoryIsDataElseTernsweepDataElseNone() {
        Map<String, String> env = Map.of(ResolverConfig.ENV_DATA, "/env/data");
        assertEquals("/cli/data", ResolverConfig.dataPath("/cli/data", env));
        assertEquals("/env/data", ResolverConfig.dataPath(null, env));
        assertEquals("/env/data", ResolverConfig.dataPath("  ", env), "a blank --data is not given");
        assertNull(ResolverConfig.dataPath(null, Map.of()));
        assertNull(ResolverConfig.dataPath(null, Map.of(ResolverConfig.ENV_DATA, " ")), "a blank variable is unset");
    }

    @Test
    void systemWinsOverCache() throws Exception {
        TestIdx.touchAll(system.resolve("fashion-mnist"), FM);
        TestIdx.touchAll(CacheDirs.datasets(cache, "fashion-mnist"), FM);
        DatasetResolver.Location l = DatasetResolver.resolve(FM, cfg(null));
        assertEquals(DatasetResolver.Source.SYSTEM, l.source());
    }

    @Test
    void uncompressedFilesCount() throws Exception {
        Path dir = system.resolve("fashion-mnist");
        Files.createDirectories(dir);
        for (DatasetFile f : FM.files()) {
            Files.write(dir.resolve(f.baseName()), new byte[0]);
        }
        assertEquals(DatasetResolver.Source.SYSTEM, DatasetResolver.resolve(FM, cfg(null)).source());
    }

    @Test
    void cacheIsTheLastLocalPlace() throws Exception {
        TestIdx.touchAll(system.resolve("fashion-mnist"), FM);
        Files.delete(system.resolve("fashion-mnist/train-images-idx3-ubyte.gz"));
        TestIdx.touchAll(CacheDirs.datasets(cache, "fashion-mnist"), FM);
        DatasetResolver.Location l = DatasetResolver.resolve(FM, cfg(null));
        assertEquals(DatasetResolver.Source.CACHE, l.source());
        assertEquals(cache.resolve("datasets/fashion-mnist"), l.dir());
    }

    @Test
    void notFoundNamesEveryPlaceAndHowToInstall() throws Exception {
        Files.createDirectories(system.resolve("fashion-mnist"));
        Files.write(system.resolve("fashion-mnist/train-labels-idx1-ubyte.gz"), new byte[0]);
        DatasetException e = assertThrows(DatasetException.class, () -> DatasetResolver.resolve(FM, cfg(null)));
        String m = e.getMessage();
        assertTrue(m.startsWith("fashion-mnist: dataset not found. Tried, in order:"), m);
        assertTrue(m.contains("1. explicit path (--data or TERNSWEEP_DATA): none given"), m);
        assertTrue(m.contains("2. system location " + system.resolve("fashion-mnist")
                + ": missing train-images-idx3-ubyte.gz, t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz"), m);
        assertTrue(m.contains("3. cache " + cache.resolve("datasets/fashion-mnist") + ": no such directory"), m);
        assertTrue(m.contains("4. download: disabled (offline)"), m);
        assertTrue(m.contains("sudo apt-get install dataset-fashion-mnist"), m);
        assertTrue(m.contains("set TERNSWEEP_DATA to a directory holding train-images-idx3-ubyte.gz"), m);
    }

    @Test
    void aMissingDatasetIsNamed() {
        DatasetException e = assertThrows(DatasetException.class, () -> DatasetResolver.resolve(DatasetSpec.MNIST,
                cfg(null)));
        assertTrue(e.getMessage().startsWith("mnist: dataset not found."), e.getMessage());
        assertTrue(e.getMessage().contains("cache " + cache.resolve("datasets/mnist") + ": no such directory"),
                e.getMessage());
    }

    @Test
    void unknownDatasetNameListsTheKnownOnes() {
        DatasetException e = assertThrows(DatasetException.class, () -> DatasetSpec.forName("cifar-10"));
        assertTrue(e.getMessage().contains("unknown dataset 'cifar-10'; allowed: [fashion-mnist, mnist, cifar10]"),
                e.getMessage());
    }
}
