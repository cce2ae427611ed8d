package org.ternsweep.driver.cluster;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.ternsweep.core.BadInputException;

/**
 * Runs {@code org.apache.spark.deploy.SparkSubmit} — Spark's own submission code, the class behind
 * {@code spark-submit} — in a child JVM whose classpath is this JVM's (the bundled Spark jars), with
 * the shaded application jar ({@code ternsweep-driver-<version>-app.jar}) as the application. The
 * child runs {@code ternsweep run} as the Spark driver in client mode; Spark ships the app jar to the
 * executors, so the cluster needs nothing of ternsweep installed.
 *
 * <p>A child JVM rather than an in-process call: SparkSubmit ends with {@code System.exit} on some
 * errors, and the driver needs the JVM flags Spark requires on Java 17.
 *
 * @param java      the java executable
 * @param classpath the classpath holding Spark (this JVM's)
 * @param jvmFlags  flags for the child, e.g. {@code --add-opens} and heap
 * @param appJar    the shaded application jar
 */
public record SparkSubmitLauncher(String java, String classpath, List<String> jvmFlags, Path appJar) {
    /** Spark's submission entry point. */
    public static final String SPARK_SUBMIT = "org.apache.spark.deploy.SparkSubmit";
    /** The main class inside the app jar. */
    public static final String MAIN = "org.ternsweep.driver.cli.Main";

    public SparkSubmitLauncher {
        Objects.requireNonNull(java, "java");
        Objects.requireNonNull(classpath, "classpath");
        jvmFlags = List.copyOf(jvmFlags);
        Objects.requireNonNull(appJar, "appJar");
    }

    /**
     * The launcher for this JVM: its java, classpath and {@code --add-opens}/{@code -D} flags.
     *
     * @param appJar the app jar, or null to look for it under {@code -Dternsweep.home} (set by bin/ternsweep)
     * @throws BadInputException when no app jar is found, saying how to build it
     */
    public static SparkSubmitLauncher forThisJvm(Path appJar) {
        Path jar = appJar != null ? appJar : defaultAppJar();
        if (!Files.isRegularFile(jar)) {
            throw new BadInputException("application jar " + jar + " not found; build it with"
                    + " `mvn -B -DskipTests -pl driver -am package` (it is driver/target/ternsweep-driver-<version>-app.jar)"
                    + " or pass --app-jar");
        }
        List<String> flags = new ArrayList<>();
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("--add-opens") || a.startsWith("-Djdk.") || a.startsWith("-Dorg.bytedeco.")
                    || a.startsWith("-Xmx") || a.startsWith("-Djava.awt.headless")
                    || a.startsWith("-Dternsweep.git.commit=")) {
                flags.add(a);
            }
        }
        String exe = ProcessHandle.current().info().command().orElse(
                Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        return new SparkSubmitLauncher(exe, System.getProperty("java.class.path"), flags, jar);
    }

    private static Path defaultAppJar() {
        String home = System.getProperty("ternsweep.home", ".");
        Path target = Paths.get(home, "driver", "target");
        if (Files.isDirectory(target)) {
            try (var files = Files.list(target)) {
                return files.filter(p -> p.getFileName().toString().matches("ternsweep-driver-.*-app\\.jar"))
                        .findFirst().orElse(target.resolve("ternsweep-driver-app.jar"));
            } catch (IOException e) {
                throw new BadInputException("cannot list " + target + " to find the application jar ("
                        + e.getMessage() + "); pass --app-jar", e);
            }
        }
        return target.resolve("ternsweep-driver-app.jar");
    }

    /**
     * The child's command line.
     *
     * @param master    the Spark master URL
     * @param sparkConf Spark settings for spark-submit ({@code --conf}); they reach the driver and executors
     * @param runArgs   the arguments of {@code ternsweep run} (sweep file first), without {@code --master}
     */
    public List<String> command(String master, Map<String, String> sparkConf, List<String> runArgs) {
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        cmd.addAll(jvmFlags);
        cmd.add("-cp");
        cmd.add(classpath);
        cmd.add(SPARK_SUBMIT);
        cmd.addAll(List.of("--master", master, "--deploy-mode", "client", "--class", MAIN));
        sparkConf.forEach((k, v) -> cmd.addAll(List.of("--conf", k + "=" + v)));
        cmd.add(appJar.toAbsolutePath().toString());
        cmd.add("run");
        cmd.addAll(runArgs);
        cmd.addAll(List.of("--master", master));
        return cmd;
    }

    /**
     * The environment the child gets on top of this process's: {@code SPARK_LOCAL_IP=127.0.0.1} unless
     * it is set already, so the driver's web UI listens on loopback only (Spark binds the UI to
     * SPARK_LOCAL_IP and has no setting for it); {@code SparkSessions} keeps the driver's RPC reachable.
     *
     * @param parentEnv this process's environment
     */
    public static Map<String, String> childEnvironment(Map<String, String> parentEnv) {
        String ip = parentEnv.get("SPARK_LOCAL_IP");
        return ip == null || ip.isBlank() ? Map.of("SPARK_LOCAL_IP", "127.0.0.1") : Map.of();
    }

    /** Runs the child with this process's standard streams and returns its exit code. */
    public int run(String master, Map<String, String> sparkConf, List<String> runArgs)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command(master, sparkConf, runArgs)).inheritIO();
        pb.environment().putAll(childEnvironment(System.getenv()));
        return pb.start().waitFor();
    }

    /** The classpath entries of this launcher (for messages and tests). */
    public List<String> classpathEntries() {
        return List.of(classpath.split(File.pathSeparator));
    }
}
