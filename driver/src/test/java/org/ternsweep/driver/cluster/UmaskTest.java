package org.ternsweep.driver.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ternsweep.driver.BadEnvironmentTest;
import org.ternsweep.driver.cli.Main;

/**
 * Issue 11 item 4: what {@code ternsweep run} creates has the documented permission bits whatever the
 * umask (docs/architecture.md, "Files and permissions"): the cache 700/600, the outputs 755/644. A
 * process's umask cannot be set from Java, so the driver runs in a child JVM started by
 * {@code sh -c 'umask 000; exec java …'}, under a parent directory that is itself world-writable, with
 * the real {@code CellRunner} (it trains and caches a tiny float model). Here, in the cluster package,
 * for {@link LocalCluster#classpath()}, the test JVM's classpath a child JVM needs.
 */
class UmaskTest {
    static final Path FASHION = Path.of("/usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz");

    @TempDir
    Path dir;

    /** Mode of every file and directory under {@code root} (root included), by path relative to it. */
    private static Map<String, String> modes(Path root) throws IOException {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.toList()) {
                m.put((Files.isDirectory(p) ? "dir " : "file ") + root.relativize(p),
                        PosixFilePermissions.toString(Files.getPosixFilePermissions(p)));
            }
        }
        return m;
    }

    @Test
    void runUnderUmask000CreatesAPrivateCacheAndReadOnlyForOthersOutputs() throws Exception {
        assumeTrue(Files.exists(FASHION), "Fashion-MNIST is not installed: apt-get install -y dataset-fashion-mnist");
        assumeTrue(Files.getFileStore(dir).supportsFileAttributeView("posix"), "no POSIX permissions here");
        Path open = Files.createDirectory(dir.resolve("open"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path sweep = Files.writeString(dir.resolve("tiny.yaml"),
                BadEnvironmentTest.TINY.replace("name: env", "name: tiny"));
        Path out = open.resolve("runs/tiny");
        Path cache = open.resolve("cache");
        List<String> java = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-Xmx1g"));
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("--add-opens") || a.startsWith("-Djdk.reflect")).forEach(java::add);
        java.addAll(List.of("-cp", LocalCluster.classpath(), Main.class.getName(), "run", sweep.toString(), "--out",
                out.toString(), "--cache", cache.toString(), "--master", "local[1]", "--no-ui", "--offline"));
        StringBuilder cmd = new StringBuilder("umask 000; exec");
        for (String a : java) {
            cmd.append(" '").append(a.replace("'", "'\\''")).append('\'');
        }
        Path log = dir.resolve("driver.log");
        Process p = new ProcessBuilder("/bin/sh", "-c", cmd.toString()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "the driver did not finish in 300 s");
        assertEquals(0, p.exitValue(), Files.readString(log));

        Map<String, String> outModes = modes(open.resolve("runs"));
        assertTrue(outModes.containsKey("file tiny/report.md") && outModes.containsKey("dir tiny/plots"),
                outModes.toString());
        outModes.forEach((path, mode) -> assertEquals(path.startsWith("dir ") ? "rwxr-xr-x" : "rw-r--r--", mode,
                path + " in " + outModes));
        Map<String, String> cacheModes = modes(cache);
        assertTrue(cacheModes.keySet().stream().anyMatch(k -> k.endsWith(".weights")), cacheModes.toString());
        cacheModes.forEach((path, mode) -> assertEquals(path.startsWith("dir ") ? "rwx------" : "rw-------", mode,
                path + " in " + cacheModes));
    }
}
