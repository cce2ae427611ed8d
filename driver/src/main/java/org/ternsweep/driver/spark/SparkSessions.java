package org.ternsweep.driver.spark;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.util.ArrayList;
import java.util.Collections;
import java.time.Duration;
import java.util.List;
import org.apache.spark.SparkContext;
import org.apache.spark.SparkContext$;
import org.apache.spark.sql.SparkSession;
import org.ternsweep.core.BadInputException;

/**
 * Builds the Spark session of a sweep. In local mode everything binds to 127.0.0.1 (no network
 * exposure, no reverse-DNS surprises) and the web UI, when on, listens on loopback only.
 * {@code spark.task.cpus} is the threads per cell, so Spark never runs more cell threads than cores.
 *
 * <p>On a cluster the driver's RPC must be reachable by the executors, but its web UI need not be:
 * Spark binds the UI to the driver JVM's {@code SPARK_LOCAL_IP} (there is no configuration key for
 * it), and {@code bin/ternsweep} and {@code ternsweep submit} set that to 127.0.0.1. So that this
 * does not also pin the RPC to loopback, a cluster session sets {@code spark.driver.host} and
 * {@code spark.driver.bindAddress} to this machine's first non-loopback address unless the user gave
 * them ({@link #clusterDefaults}): RPC on the network, UI on loopback (reach it with
 * {@code ssh -L 4040:127.0.0.1:4040 driver-host}).
 */
public final class SparkSessions {
    /** How long {@link #refused} waits for Spark to finish stopping a context it gave up on. */
    private static final Duration STOP_WAIT = Duration.ofSeconds(60);

    /** The environment variable Spark binds the web UI (and, by default, everything else) to. */
    public static final String LOCAL_IP = "SPARK_LOCAL_IP";

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SparkSessions.class);

    private SparkSessions() {
    }

    /**
     * The driver address settings a cluster session adds: when {@code SPARK_LOCAL_IP} is a loopback
     * address (the UI is kept on loopback) and the user set neither {@code spark.driver.host} nor
     * {@code spark.driver.bindAddress}, both become {@code address}'s value, so executors on other
     * machines can reach the driver. Otherwise nothing: the user's or Spark's own choice stands.
     *
     * @param userConf the user's {@code --conf} settings
     * @param localIp  the driver JVM's SPARK_LOCAL_IP, or null
     * @param address  this machine's non-loopback address, or null when it has none
     */
    static java.util.Map<String, String> clusterDefaults(java.util.Map<String, String> userConf, String localIp,
                                                         java.util.function.Supplier<String> address) {
        if (localIp == null || !isLoopback(localIp) || userConf.containsKey("spark.driver.host")
                || userConf.containsKey("spark.driver.bindAddress")) {
            return java.util.Map.of();
        }
        String a = address.get();
        if (a == null) {
            return java.util.Map.of(); // a machine without a network: loopback is all there is
        }
        return java.util.Map.of("spark.driver.host", a, "spark.driver.bindAddress", a);
    }

    static boolean isLoopback(String host) {
        String h = host.trim();
        return h.equals("localhost") || h.startsWith("127.") || h.equals("::1") || h.equals("0:0:0:0:0:0:0:1");
    }

    /**
     * This machine's first non-loopback, non-link-local IPv4 address (as Spark picks one when the host
     * name resolves to loopback), or null when there is none.
     */
    public static String networkAddress() {
        try {
            List<InetAddress> candidates = new ArrayList<>();
            for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (ni.isUp() && !ni.isLoopback()) {
                    candidates.addAll(Collections.list(ni.getInetAddresses()));
                }
            }
            return networkAddress(InetAddress.getLocalHost(), candidates);
        } catch (java.io.IOException e) {
            LOG.warn("cannot list this machine's network addresses ({}); the driver keeps Spark's default address",
                    e.toString());
            return null;
        }
    }

    /**
     * The choice of {@link #networkAddress()}: the host name's address when it is a non-loopback IPv4
     * address, else the first non-loopback, non-link-local IPv4 address of {@code interfaceAddresses} (the
     * addresses of the interfaces that are up and not loopback, in the system's order), else null.
     */
    static String networkAddress(InetAddress hostAddress, List<InetAddress> interfaceAddresses) {
        if (hostAddress instanceof Inet4Address && !hostAddress.isLoopbackAddress()) {
            return hostAddress.getHostAddress();
        }
        for (InetAddress a : interfaceAddresses) {
            if (a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress()) {
                return a.getHostAddress();
            }
        }
        return null;
    }

    /**
     * @param master    Spark master URL, e.g. {@code local[*]}, {@code spark://host:7077}
     * @param threads   cores per cell task
     * @param appName   application name shown in the UI
     * @param ui        whether to start the web UI
     */
    public static SparkSession create(String master, int threads, String appName, boolean ui) {
        return create(master, threads, appName, ui, java.util.Map.of());
    }

    /**
     * As {@link #create(String, int, String, boolean)}, plus Spark settings given by the user
     * ({@code --conf key=value}), applied last so they win; e.g. {@code spark.executor.memory},
     * {@code spark.driver.host} or {@code spark.executor.extraClassPath} for a cluster.
     */
    public static SparkSession create(String master, int threads, String appName, boolean ui,
                                      java.util.Map<String, String> conf) {
        SparkSession.Builder b = SparkSession.builder()
                .master(master)
                .appName(appName)
                .config("spark.task.cpus", String.valueOf(threads))
                .config("spark.ui.enabled", String.valueOf(ui))
                .config("spark.ui.showConsoleProgress", "false")
                .config("spark.sql.shuffle.partitions", "8");
        if (master.startsWith("local")) {
            b.config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1");
        } else {
            String localIp = System.getenv(LOCAL_IP);
            clusterDefaults(conf, localIp, SparkSessions::networkAddress).forEach(b::config);
            if (ui && (localIp == null || !isLoopback(localIp))) {
                LOG.warn("the Spark UI of this driver listens on {} because SPARK_LOCAL_IP is {}; set"
                        + " SPARK_LOCAL_IP=127.0.0.1 (bin/ternsweep and `ternsweep submit` do) or pass --no-ui to keep"
                        + " it off the network", localIp == null ? "all interfaces" : localIp,
                        localIp == null ? "unset" : localIp);
            }
        }
        conf.forEach(b::config);
        SparkSession spark;
        try {
            spark = b.getOrCreate();
        } catch (IllegalStateException e) {
            // A standalone master that never registers the driver (wrong address, or authentication on and no
            // or another secret) makes Spark give up after its retries and stop the context half-built.
            if (master.startsWith("local")) {
                throw e;
            }
            throw refused(master, conf, e);
        }
        if (spark.sparkContext().isStopped() && !master.startsWith("local")) {
            throw refused(master, conf, null);
        }
        spark.sparkContext().setLogLevel("WARN");
        return spark;
    }

    /**
     * Whether {@code spark}'s context was stopped before a standalone master ever registered it: Spark
     * then gives up and stops the context, and a job already submitted is cancelled. A registered
     * application has an id {@code app-…}; until then Spark reports a local placeholder.
     */
    public static boolean neverRegistered(SparkSession spark, String master) {
        return StandaloneSettings.isStandalone(master) && spark.sparkContext().isStopped()
                && !spark.sparkContext().applicationId().startsWith("app-");
    }

    /**
     * The error for a driver the master did not register, once Spark has finished stopping the context it gave
     * up on. Spark stops that context on a thread of its own and keeps it as the JVM's active context until the
     * stop completes; a session created in the same JVM before then (a test, or any caller of Main.execute)
     * would be handed that dead context.
     */
    public static BadInputException refused(String master, java.util.Map<String, String> conf, Throwable cause) {
        long deadline = System.nanoTime() + STOP_WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            scala.Option<SparkContext> active = SparkContext$.MODULE$.getActive();
            if (active.isEmpty() || !active.get().isStopped()) {
                break;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return new BadInputException(notRegistered(master, conf), cause);
    }

    /** The one-paragraph error for a driver the master did not register (see {@link #neverRegistered}). */
    public static String notRegistered(String master, java.util.Map<String, String> conf) {
        String auth = conf.containsKey("spark.authenticate.secret")
                ? "Check that the secret is the one the cluster's Master and Workers were started with"
                : "If the cluster runs with authentication (spark.authenticate, as scripts/local-cluster.sh starts it),"
                        + " pass its secret with --spark-secret-file FILE";
        return "the Spark master " + master + " did not accept this driver (Spark gave up registering the"
                + " application; its log above says why, e.g. \"Expected SaslMessage\" for a missing secret). " + auth
                + "; otherwise check that the master is up at that address and reachable from this machine.";
    }
}
