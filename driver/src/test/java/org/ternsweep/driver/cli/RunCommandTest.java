package org.ternsweep.driver.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ternsweep.data.CacheDirs;
import org.ternsweep.driver.spark.FakeExecutor;
import org.ternsweep.results.store.CellReader;
import org.ternsweep.results.store.OutputLayout;
import org.ternsweep.results.store.StoredCell;

/** What {@code ternsweep run} resolves before the fan-out and hands to every cell. */
class RunCommandTest {
    @TempDir
    Path dir;

    /** The executors get the cache root of the one rule ({@link CacheDirs}): absolute, as every node needs it. */
    @Test
    void theCellsSeeTheCacheRootOfTheOneRule() throws IOException {
        Path f = Files.writeString(dir.resolve("s.yaml"), "name: s\nmodels: [cnn-small]\nseeds: [0]\n"
                + "operators: [native]\ngranularities: [per-tensor]\nmethods: [data-free]\n");
        Path cache = dir.resolve("cache");
        String relative = Path.of("").toAbsolutePath().relativize(cache).toString();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int rc = Main.execute(new String[]{"run", f.toString(), "--out", dir.resolve("out").toString(), "--master",
                "local[1]", "--no-ui", "--offline", "--cache", relative, "--executor-class",
                FakeExecutor.class.getName()}, new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
        assertEquals(Main.OK, rc, out.toString(StandardCharsets.UTF_8));
        List<StoredCell> cells = CellReader.read(new OutputLayout(dir.resolve("out").toString()), new Configuration());
        assertEquals(1, cells.size());
        assertEquals(CacheDirs.resolve(relative).toString(), cells.get(0).provenance().get("cache_seen"));
        assertEquals(cache.toAbsolutePath().normalize().toString(), cells.get(0).provenance().get("cache_seen"));
    }
}
