package org.ternsweep.driver.cluster;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * Test support: a real Spark standalone cluster (one Master, two Workers, 1 core and 1 GiB each) on
 * 127.0.0.1, started and stopped with {@code scripts/local-cluster.sh} on free loopback ports, its
 * SPARK_HOME made of the test JVM's own jars, with authentication on (the script's generated secret).
 * Executors get the test classpath through {@code spark.executor.extraClassPath}, so they can load the
 * test executors.
 */
final class LocalCluster implements AutoCloseable {
    private final Path dir;
    private final Path script;
    private final Map<String, String> env;
    private final String masterUrl;

    private LocalCluster(Path dir, Path script, Map<String, String> env, String masterUrl) {
        this.dir = dir;
        this.script = script;
        this.env = env;
        this.masterUrl = masterUrl;
    }

    /** Starts the cluster, or skips the calling test when bash, java or loopback ports are missing. */
    static LocalCluster start(Path dir) throws IOException, InterruptedException {
        return start(dir, classpath());
    }

    /**
     * As {@link #start(Path)}, with the daemons' (and so the executors') jars taken from
     * {@code sparkClasspath}, e.g. {@link #sparkOnlyClasspath()} for a cluster that knows nothing of ternsweep.
     */
    static LocalCluster start(Path dir, String sparkClasspath) throws IOException, InterruptedException {
        Path script = repoRoot().resolve("scripts/local-cluster.sh");
        assumeTrue(Files.isRegularFile(script), "scripts/local-cluster.sh not found from " + Paths.get("").toAbsolutePath());
        assumeTrue(new File("/bin/bash").canExecute(), "bash is needed to start the local cluster");
        int[] ports = freePorts(3); // a port taken by then makes Spark try the next one
        Map<String, String> env = Map.of("TERNSWEEP_CLUSTER_DIR", dir.toString(),
                "TERNSWEEP_SPARK_CP", sparkClasspath,
                "MASTER_PORT", Integer.toString(ports[0]), "MASTER_UI_PORT", Integer.toString(ports[1]),
                "WORKER_UI_PORT", Integer.toString(ports[2]), "WORKER_MEMORY", "1g", "WORKER_CORES", "1");
        LocalCluster c = new LocalCluster(dir, script, env, "spark://127.0.0.1:" + ports[0]);
        int rc;
        try {
            rc = c.script("start");
        } catch (IllegalStateException e) {
            c.close(); // the daemons it did start must not outlive the test
            throw e;
        }
        if (rc != 0) {
            c.close();
            throw new IllegalStateException("scripts/local-cluster.sh start exited " + rc + "; logs in "
                    + dir.resolve("logs") + ":\n" + c.logs());
        }
        return c;
    }

    String masterUrl() {
        return masterUrl;
    }

    /**
     * The Spark settings a driver needs for this cluster besides its secret: loopback, small executors,
     * the test classpath.
     */
    Map<String, String> sparkConf() {
        Map<String, String> m = new java.util.LinkedHashMap<>(networkConf());
        m.put("spark.executor.extraClassPath", classpath());
        return m;
    }

    /** As {@link #sparkConf()} without the classpath: what a driver needs that ships no classes itself. */
    Map<String, String> networkConf() {
        return Map.of("spark.driver.host", "127.0.0.1", "spark.driver.bindAddress", "127.0.0.1",
                "spark.executor.memory", "512m", "spark.executor.cores", "1",
                "spark.executorEnv.SPARK_LOCAL_IP", "127.0.0.1");
    }

    /** The file holding the cluster's authentication secret (mode 600), written by the script. */
    Path secretFile() {
        return dir.resolve("secret");
    }

    /** The log of the daemon {@code name} ({@code master}, {@code worker-1} …). */
    Path logFile(String name) {
        return dir.resolve("logs").resolve(name + ".log");
    }

    /** Where Worker {@code i} keeps its executors' directories (with the jars they fetched). */
    Path workDir(int i) {
        return dir.resolve("work-" + i);
    }

    /** Kills Worker {@code i} and the executor JVM it launched, as a machine failure would. */
    void killWorker(int i) throws IOException {
        long pid = Long.parseLong(Files.readString(dir.resolve("worker-" + i + ".pid")).trim());
        ProcessHandle.of(pid).ifPresent(p -> {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        });
    }

    String logs() throws IOException {
        StringBuilder b = new StringBuilder();
        Path logs = dir.resolve("logs");
        if (Files.isDirectory(logs)) {
            try (var files = Files.list(logs)) {
                for (Path f : files.toList()) {
                    List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
                    b.append("== ").append(f.getFileName()).append('\n');
                    lines.subList(Math.max(0, lines.size() - 30), lines.size()).forEach(l -> b.append(l).append('\n'));
                }
            }
        }
        return b.toString();
    }

    @Override
    public void close() throws IOException, InterruptedException {
        script("stop");
    }

    private int script(String command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("/bin/bash", script.toString(), command)
                .redirectErrorStream(true).redirectOutput(dir.resolve("script-" + command + ".log").toFile());
        Files.createDirectories(dir);
        pb.environment().putAll(env);
        Process p = pb.start();
        // a guard against a hang, not a timing: on a loaded machine the daemons' JVMs take minutes to start
        if (!p.waitFor(360, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("scripts/local-cluster.sh " + command + " did not finish in 360 s");
        }
        return p.exitValue();
    }

    /** The repository root: the working directory of a module's tests is the module. */
    static Path repoRoot() {
        Path here = Paths.get("").toAbsolutePath();
        return Files.isDirectory(here.resolve("scripts")) ? here : here.getParent();
    }

    /** The test JVM's classpath with manifest-only jars (Surefire's booter) expanded. */
    static String classpath() {
        Set<String> out = new LinkedHashSet<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            out.add(entry);
            if (entry.endsWith(".jar") && entry.contains("surefire")) {
                out.addAll(manifestClassPath(entry));
            }
        }
        return String.join(File.pathSeparator, out);
    }

    /**
     * The jars of {@link #classpath()} a Spark distribution would have: no directories (the modules'
     * classes), no ternsweep, ND4J/DL4J/JavaCPP (openblas, dnnl, opencl presets), CLI or test jars.
     * Executors of a cluster started with it can only run ternsweep from the application jar that
     * spark-submit ships. (A JavaCPP preset jar left here is loaded parent-first without javacpp itself:
     * NoClassDefFoundError org/bytedeco/javacpp/Pointer in every cell.)
     */
    static String sparkOnlyClasspath() {
        List<String> out = new ArrayList<>();
        for (String entry : classpath().split(File.pathSeparator)) {
            String name = Paths.get(entry).getFileName().toString();
            if (entry.endsWith(".jar") && !name.matches("(?i)(ternsweep|nd4j|deeplearning4j|datavec|javacpp|openblas|dnnl|opencl"
                    + "|mkl|picocli|commons-math3|jfreechart|junit|opentest4j|apiguardian|surefire|failsafe|common-java5"
                    + "|common-junit).*")) {
                out.add(entry);
            }
        }
        return String.join(File.pathSeparator, out);
    }

    private static List<String> manifestClassPath(String jar) {
        List<String> out = new ArrayList<>();
        try (JarFile j = new JarFile(jar)) {
            Manifest m = j.getManifest();
            String cp = m == null ? null : m.getMainAttributes().getValue("Class-Path");
            if (cp != null) {
                URL base = new File(jar).toURI().toURL();
                for (String u : cp.trim().split("\\s+")) {
                    out.add(Paths.get(new URL(base, u).toURI()).toString());
                }
            }
        } catch (IOException | URISyntaxException e) {
            throw new IllegalStateException("cannot read the Class-Path of " + jar + ": " + e.getMessage(), e);
        }
        return out;
    }

    private static int[] freePorts(int n) {
        int[] ports = new int[n];
        List<ServerSocket> held = new ArrayList<>();
        try {
            InetAddress lo = InetAddress.getByName("127.0.0.1");
            for (int i = 0; i < n; i++) {
                ServerSocket s = new ServerSocket(0, 1, lo);
                held.add(s);
                ports[i] = s.getLocalPort();
            }
        } catch (IOException e) {
            assumeTrue(false, "no free port on 127.0.0.1: " + e.getMessage());
        } finally {
            for (ServerSocket s : held) {
                try {
                    s.close();
                } catch (IOException e) {
                    throw new IllegalStateException("cannot release port " + s.getLocalPort(), e);
                }
            }
        }
        return ports;
    }
}
