package org.ternsweep.driver.spark;

import java.io.IOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.ternsweep.core.BadInputException;

/**
 * Spark settings a driver started by {@code ternsweep run} needs on a Spark standalone cluster and that
 * the user should not have to type: how the executors find ternsweep's classes, and the cluster's
 * authentication secret.
 *
 * <p>Classes: executors of a standalone cluster start with the Worker's Spark jars only. Without
 * ternsweep's classes every task fails deserializing its closure ({@code ClassCastException:
 * SerializedLambda}). {@code ternsweep submit} ships the application jar ({@code spark.jars}); a plain
 * {@code run} against a master on this machine gives the executors the driver's own classpath
 * ({@code spark.executor.extraClassPath}: the Workers run here and see the same files); against a
 * master elsewhere it stops at once and says to use {@code submit}.
 *
 * <p>Secret: Spark standalone takes the shared secret only as the setting {@code spark.authenticate.secret}
 * (its {@code spark.authenticate.secret.file} is for Kubernetes only), which on a command line is visible
 * to every user of the machine in {@code ps}. {@code --spark-secret-file} reads it from a file instead and
 * sets it inside the driver JVM; executors get it from their Worker, not from a command line.
 */
public final class StandaloneSettings {
    private StandaloneSettings() {
    }

    /** Whether {@code master} is a Spark standalone URL, {@code spark://host:port[,host:port…]}. */
    public static boolean isStandalone(String master) {
        return master.startsWith("spark://");
    }

    /**
     * The settings that let the executors load ternsweep's classes: nothing when the master is not a
     * standalone URL or the user (or spark-submit, through {@code sparkProperties}) already set
     * {@code spark.jars} or {@code spark.executor.extraClassPath}; the driver's classpath as
     * {@code spark.executor.extraClassPath} when every master host is this machine.
     *
     * @param master          the master URL
     * @param userConf        the user's {@code --conf} settings
     * @param sparkProperties Spark settings already in the JVM's system properties (spark-submit puts them there)
     * @param driverClasspath this JVM's classpath
     * @param isThisMachine   whether a host name or address is this machine
     * @throws BadInputException when the master is on another machine, saying to use {@code submit}
     */
    public static Map<String, String> classpath(String master, Map<String, String> userConf,
                                                Map<String, String> sparkProperties, String driverClasspath,
                                                Predicate<String> isThisMachine) {
        if (!isStandalone(master)) {
            return Map.of();
        }
        for (String key : List.of("spark.jars", "spark.executor.extraClassPath")) {
            if (userConf.containsKey(key) || sparkProperties.containsKey(key)) {
                return Map.of();
            }
        }
        for (String hostPort : master.substring("spark://".length()).split(",")) {
            String host = hostPort.contains(":") ? hostPort.substring(0, hostPort.lastIndexOf(':')) : hostPort;
            if (!isThisMachine.test(host)) {
                throw new BadInputException("the master " + master + " runs on " + host + ", not on this machine,"
                        + " so its executors cannot load ternsweep's classes from this machine's files (every task"
                        + " would fail with ClassCastException SerializedLambda). Use `ternsweep submit --master "
                        + master + " ...`, which ships the application jar to the executors, or pass --conf"
                        + " spark.jars=<the ternsweep-driver-*-app.jar> (or --conf spark.executor.extraClassPath="
                        + "<a classpath every Worker has>).");
            }
        }
        return Map.of("spark.executor.extraClassPath", driverClasspath);
    }

    /** {@link #classpath(String, Map, Map, String, Predicate)} for this JVM and this machine. */
    public static Map<String, String> classpath(String master, Map<String, String> userConf) {
        Map<String, String> props = new LinkedHashMap<>();
        System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith("spark."))
                .forEach(k -> props.put(k, System.getProperty(k)));
        return classpath(master, userConf, props, System.getProperty("java.class.path"),
                StandaloneSettings::isThisMachine);
    }

    /** Whether {@code host} resolves to a loopback address or to an address of one of this machine's interfaces. */
    static boolean isThisMachine(String host) {
        try {
            for (InetAddress a : InetAddress.getAllByName(host)) {
                if (a.isLoopbackAddress() || a.isAnyLocalAddress() || NetworkInterface.getByInetAddress(a) != null) {
                    return true;
                }
            }
            return false;
        } catch (UnknownHostException | SocketException e) {
            return false;
        }
    }

    /**
     * The authentication settings read from {@code secretFile}: {@code spark.authenticate=true} and
     * {@code spark.authenticate.secret} (the file's content without surrounding white space).
     *
     * @throws BadInputException when the file is missing, unreadable, empty, or readable by other users
     */
    public static Map<String, String> secret(Path secretFile) {
        String secret;
        try {
            if (Files.getFileStore(secretFile).supportsFileAttributeView("posix")) {
                Set<PosixFilePermission> perms = Files.getPosixFilePermissions(secretFile);
                if (perms.stream().anyMatch(p -> p.name().startsWith("GROUP") || p.name().startsWith("OTHERS"))) {
                    throw new BadInputException("the Spark secret file " + secretFile + " is readable or writable by"
                            + " other users (mode " + java.nio.file.attribute.PosixFilePermissions.toString(perms)
                            + "); make it private with `chmod 600 " + secretFile + "`.");
                }
            }
            secret = Files.readString(secretFile, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new BadInputException("cannot read the Spark secret file " + secretFile + " (" + e
                    + "); pass the file the cluster's Master and Workers were started with (for"
                    + " scripts/local-cluster.sh: <cluster dir>/secret).", e);
        }
        if (secret.isEmpty()) {
            throw new BadInputException("the Spark secret file " + secretFile + " is empty; it must hold the"
                    + " secret the cluster's Master and Workers were started with.");
        }
        return Map.of("spark.authenticate", "true", "spark.authenticate.secret", secret);
    }
}
