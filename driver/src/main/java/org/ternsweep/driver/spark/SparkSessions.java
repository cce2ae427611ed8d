package org.ternsweep.driver.spark;

import org.apache.spark.sql.SparkSession;

/**
 * Builds the Spark session of a sweep. In local mode everything binds to 127.0.0.1 (no network
 * exposure, no reverse-DNS surprises) and the web UI, when on, listens on loopback only.
 * {@code spark.task.cpus} is the threads per cell, so Spark never runs more cell threads than cores.
 */
public final class SparkSessions {
    private SparkSessions() {
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
        }
        conf.forEach(b::config);
        SparkSession spark = b.getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        return spark;
    }
}
