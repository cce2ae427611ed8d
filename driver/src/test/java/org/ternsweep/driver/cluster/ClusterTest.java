package org.ternsweep.driver.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.ternsweep.core.CellSpec;
import org.ternsweep.driver.cli.Main;
import org.ternsweep.driver.spark.FakeExecutor;
import org.ternsweep.driver.spark.RunOptions;
import org.ternsweep.driver.spark.RunReport;
import org.ternsweep.driver.spark.SlowExecutor;
import org.ternsweep.driver.spark.SparkSessions;
import org.ternsweep.driver.spark.StandaloneSettings;
import org.ternsweep.driver.spark.SweepRunner;
import org.ternsweep.driver.spark.ThrowingExecutor;
import org.ternsweep.driver.sweep.Grid;
import org.ternsweep.driver.sweep.Sweep;
import org.ternsweep.driver.sweep.SweepParser;
import org.ternsweep.results.model.CellRow;
import org.ternsweep.results.store.CellReader;
import org.ternsweep.results.store.OutputLayout;
import org.ternsweep.results.store.StoredCell;
import org.ternsweep.runner.CellRunner;

/**
 * Fault tolerance against a real Spark standalone cluster on 127.0.0.1 (one Master, two Workers as
 * separate JVMs, see {@link LocalCluster}), with test executors. The Worker-kill test runs last: it
 * leaves one Worker.
 */
@Tag("cluster")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterTest {
    static final String SWEEP = """
            name: c
            models: [cnn-small]
            seeds: SEEDS
            operators: [native, mquant]
            granularities: [per-tensor]
            methods: [data-free]
            """;

    @TempDir
    static Path shared;
    static LocalCluster cluster;

    @TempDir
    Path dir;

    @BeforeAll
    static void startCluster() throws IOException, InterruptedException {
        cluster = LocalCluster.start(shared.resolve("cluster"));
    }

    @AfterAll
    static void stopCluster() throws IOException, InterruptedException {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static Sweep sweep(String seeds) {
        return SweepParser.parse("c.yaml", SWEEP.replace("SEEDS", seeds), List.of());
    }

    private Path sweepFile(String seeds) throws IOException {
        Path f = dir.resolve("c.yaml");
        Files.writeString(f, SWEEP.replace("SEEDS", seeds));
        return f;
    }

    private RunOptions options(Path out, Class<?> executor) {
        return new RunOptions(out.toString(), dir.resolve("cache").toString(), null, 1, false, executor.getName(),
                false);
    }

    private static RunReport runOn(SparkSession spark, Sweep s, RunOptions o) throws IOException {
        return new SweepRunner(spark, new PrintWriter(Writer.nullWriter()), false).run(s, o);
    }

    private static SparkSession clusterSession() {
        Map<String, String> conf = new HashMap<>(cluster.sparkConf());
        conf.putAll(StandaloneSettings.secret(cluster.secretFile()));
        return SparkSessions.create(cluster.masterUrl(), 1, "ternsweep-cluster-test", false, conf);
    }

    /** One stored row: what the checks compare. */
    record Stored(String status, double accuracy) {
    }

    /**
     * cellId → row of every stored cell, read file by file with parquet-hadoop (no Spark session: one
     * JVM holds one SparkContext, and starting one per check would double the test's time). Files
     * under {@code cells/_tmp} are not read, as no reader does.
     */
    private static Map<String, Stored> rows(Path out) throws IOException {
        Map<String, Stored> m = new HashMap<>();
        List<Path> files;
        try (Stream<Path> list = Files.list(out.resolve("cells"))) {
            files = list.filter(p -> p.getFileName().toString().endsWith(".parquet")).toList();
        }
        for (Path f : files) {
            try (ParquetReader<Group> reader = ParquetReader.builder(new GroupReadSupport(),
                    new org.apache.hadoop.fs.Path(f.toUri())).build()) {
                for (Group g = reader.read(); g != null; g = reader.read()) {
                    double acc = g.getFieldRepetitionCount("accuracy") == 0 ? Double.NaN : g.getDouble("accuracy", 0);
                    Stored before = m.put(g.getString("cell_id", 0), new Stored(g.getString("status", 0), acc));
                    assertEquals(null, before, "cell " + g.getString("cell_id", 0) + " stored twice");
                }
            }
        }
        return m;
    }

    private static List<String> ids(Sweep s) {
        return Grid.expand(s).stream().map(CellSpec::cellId).sorted().toList();
    }

    private static long cellFiles(Path out) throws IOException {
        Path cells = out.resolve("cells");
        if (!Files.isDirectory(cells)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(cells)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".parquet")).count();
        }
    }

    private static void awaitCellFiles(Path out, long n, Process or) throws IOException, InterruptedException {
        for (int i = 0; i < 1800 && cellFiles(out) < n; i++) {
            if (or != null && !or.isAlive()) {
                throw new AssertionError("the driver exited (" + or.exitValue() + ") before " + n + " cells were done");
            }
            Thread.sleep(100);
        }
        assertTrue(cellFiles(out) >= n, "fewer than " + n + " cells done after 180 s");
    }

    @Test
    @Order(1)
    void sameCellIdsAndAccuraciesAsLocalMode() throws IOException {
        Sweep s = sweep("[0, 1, 2]");
        Path local = dir.resolve("local");
        Path onCluster = dir.resolve("cluster");
        SparkSession spark = SparkSessions.create("local[2]", 1, "ternsweep-local", false);
        try {
            runOn(spark, s, options(local, FakeExecutor.class));
        } finally {
            spark.stop();
        }
        spark = clusterSession();
        RunReport report;
        try {
            report = runOn(spark, s, options(onCluster, FakeExecutor.class));
        } finally {
            spark.stop();
        }
        assertEquals(6, report.executed());
        Map<String, Stored> a = rows(local);
        Map<String, Stored> b = rows(onCluster);
        assertEquals(ids(s), a.keySet().stream().sorted().toList());
        assertEquals(a.keySet(), b.keySet());
        for (String id : a.keySet()) {
            assertEquals(a.get(id).accuracy(), b.get(id).accuracy(), 1e-6, "accuracy of cell " + id);
            assertEquals("OK", b.get(id).status());
        }
    }

    private List<String> cli(Path sweep, Path out, Class<?> executor, String... extra) {
        List<String> args = cliWithout(sweep, out, executor, cluster.sparkConf());
        args.addAll(List.of("--spark-secret-file", cluster.secretFile().toString()));
        args.addAll(List.of(extra));
        return args;
    }

    /** {@code run} on the cluster with {@code conf} and no secret. */
    private List<String> cliWithout(Path sweep, Path out, Class<?> executor, Map<String, String> conf) {
        List<String> args = new ArrayList<>(List.of("run", sweep.toString(), "--out", out.toString(), "--master",
                cluster.masterUrl(), "--no-ui", "--offline", "--cache", dir.resolve("cache").toString(),
                "--executor-class", executor.getName()));
        conf.forEach((k, v) -> args.addAll(List.of("--conf", k + "=" + v)));
        return args;
    }

    /**
     * Issue 11 item 12: {@code run --master spark://…} with none of the classpath settings. The Workers'
     * executors start with Spark's jars only; before the fix every task died with ClassCastException
     * SerializedLambda. A master on this machine now gets the driver's classpath for its executors.
     */
    @Test
    @Order(2)
    void runOnAMasterOnThisMachineNeedsNoClasspathSetting() throws IOException {
        Path f = sweepFile("[0]");
        Path out = dir.resolve("out");
        List<String> args = cliWithout(f, out, FakeExecutor.class, cluster.networkConf());
        args.addAll(List.of("--spark-secret-file", cluster.secretFile().toString()));
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        int rc = Main.execute(args.toArray(String[]::new), new PrintStream(stdout, true, StandardCharsets.UTF_8),
                new PrintStream(stderr, true, StandardCharsets.UTF_8));
        String text = stdout.toString(StandardCharsets.UTF_8) + stderr.toString(StandardCharsets.UTF_8);
        assertEquals(Main.OK, rc, text);
        Map<String, Stored> stored = rows(out);
        assertEquals(ids(sweep("[0]")), stored.keySet().stream().sorted().toList());
        assertTrue(stored.values().stream().allMatch(r -> r.status().equals("OK")), stored.toString());
    }

    /**
     * Issue 11 item 2: scripts/local-cluster.sh starts the Master and Workers with authentication on. A
     * driver without the secret is refused (the Master never registers it, so no cell runs) and exits
     * with a message instead of a stack trace; with the secret file (the other tests) it runs.
     */
    @Test
    @Order(3)
    void aDriverWithoutTheSecretIsRefused() throws IOException {
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(cluster.secretFile())), "the secret file is private");
        Path f = sweepFile("[0]");
        Path out = dir.resolve("out");
        long appsBefore = registeredApps();
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        int rc = Main.execute(cliWithout(f, out, FakeExecutor.class, cluster.sparkConf()).toArray(String[]::new),
                new PrintStream(stdout, true, StandardCharsets.UTF_8), new PrintStream(stderr, true, StandardCharsets.UTF_8));
        String text = stdout.toString(StandardCharsets.UTF_8) + "\n" + stderr.toString(StandardCharsets.UTF_8);
        assertNotEquals(Main.OK, rc, text);
        assertEquals(0, cellFiles(out), "no cell ran without the secret");
        assertEquals(appsBefore, registeredApps(), "the master registered a driver that had no secret");
        assertFalse(text.contains("\tat "), "no stack trace on the console:\n" + text);
    }

    private static long registeredApps() throws IOException {
        try (Stream<String> lines = Files.lines(cluster.logFile("master"))) {
            return lines.filter(l -> l.contains("Registering app")).count();
        }
    }

    @Test
    @Order(4)
    void failingCellsAreReportedAndRerunOnTheCluster() throws IOException {
        Path f = sweepFile("[0, 1]");
        Path out = dir.resolve("out");
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        int rc = Main.execute(cli(f, out, ThrowingExecutor.class).toArray(String[]::new),
                new PrintStream(stdout, true, StandardCharsets.UTF_8), System.err);
        String text = stdout.toString(StandardCharsets.UTF_8);
        assertEquals(Main.FAILED, rc, text);
        assertTrue(text.contains("2 cell(s) FAILED"), text);
        assertTrue(text.contains(ThrowingExecutor.MESSAGE), text);
        Map<String, Stored> first = rows(out);
        assertEquals(4, first.size());
        assertEquals(2, first.values().stream().filter(r -> r.status().equals("FAILED")).count());

        stdout.reset();
        rc = Main.execute(cli(f, out, FakeExecutor.class).toArray(String[]::new),
                new PrintStream(stdout, true, StandardCharsets.UTF_8), System.err);
        text = stdout.toString(StandardCharsets.UTF_8);
        assertEquals(Main.OK, rc, text);
        assertTrue(text.contains("already done 2, to run 2 (2 FAILED before, rerun)"), text);
        Map<String, Stored> second = rows(out);
        assertEquals(ids(sweep("[0, 1]")), second.keySet().stream().sorted().toList());
        assertTrue(second.values().stream().allMatch(r -> r.status().equals("OK")));
    }

    /**
     * The dataset is where the driver would find it (/usr/share/datasets) but --data points the
     * executors elsewhere, and downloads are off: with the real {@link CellRunner} every cell is FAILED
     * on the workers with a message naming each place tried and what to do; the driver goes on and
     * exits 1 listing them.
     */
    @Test
    @Order(5)
    void aDatasetMissingOnTheWorkersFailsEachCellWithWhereItLookedAndHowToFixIt() throws IOException {
        Path f = Files.writeString(dir.resolve("env.yaml"), """
                name: env
                models: [cnn-small]
                seeds: [0]
                operators: [native, mquant]
                granularities: [per-tensor]
                methods: [data-free]
                recipe: {epochs: 0.2, train_subset: 2000}
                evaluation: {test_subset: 500}
                """);
        Path out = dir.resolve("out");
        Path missing = dir.resolve("no-such-data");
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        int rc = Main.execute(cli(f, out, CellRunner.class, "--data", missing.toString()).toArray(String[]::new),
                new PrintStream(stdout, true, StandardCharsets.UTF_8), System.err);
        String text = stdout.toString(StandardCharsets.UTF_8);
        assertEquals(Main.FAILED, rc, text);
        assertTrue(text.contains("2 cell(s) FAILED"), text);
        List<StoredCell> cells = CellReader.read(new OutputLayout(out.toString()), new org.apache.hadoop.conf.Configuration());
        assertEquals(2, cells.size());
        for (StoredCell c : cells) {
            String error = c.row().error();
            assertEquals(CellRow.Status.FAILED, c.row().status(), error);
            assertEquals("org.ternsweep.data.DatasetException", c.row().errorClass(), error);
            assertTrue(error.contains("explicit path " + missing.resolve("fashion-mnist") + ": no such directory"), error);
            assertTrue(error.contains("explicit path " + missing + ": no such directory"), error);
            assertTrue(error.contains("Put the four files") && error.contains("train-images-idx3-ubyte"), error);
            assertTrue(c.provenance().get("executor_id").matches("\\d+"), "ran on an executor: " + c.provenance());
        }
    }

    private Process driverJvm(Path sweep, Path out, Path log) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-Xmx768m"));
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("--add-opens") || a.startsWith("-Djdk.reflect")).forEach(cmd::add);
        cmd.addAll(List.of("-cp", LocalCluster.classpath(), Main.class.getName()));
        cmd.addAll(cli(sweep, out, SlowExecutor.class));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    @Test
    @Order(6)
    void killedDriverResumesOnlyTheMissingCells() throws IOException, InterruptedException {
        Path f = sweepFile("[0, 1, 2, 3, 4, 5, 6, 7]");
        Path out = dir.resolve("out");
        Process first = driverJvm(f, out, dir.resolve("driver-1.log"));
        try {
            awaitCellFiles(out, 3, first);
        } finally {
            first.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        long doneAtKill = cellFiles(out);
        assertTrue(Files.exists(out.resolve("_lock")), "a killed driver leaves its lock behind");

        Process second = driverJvm(f, out, dir.resolve("driver-2.log"));
        boolean finished = second.waitFor(240, TimeUnit.SECONDS);
        String log = Files.readString(dir.resolve("driver-2.log"));
        if (!finished) {
            second.destroyForcibly();
        }
        assertTrue(finished, "the resumed driver did not finish in 240 s:\n" + log);
        assertEquals(0, second.exitValue(), log);
        Matcher m = Pattern.compile("already done (\\d+), to run (\\d+)").matcher(log);
        assertTrue(m.find(), log);
        int done = Integer.parseInt(m.group(1));
        assertTrue(done >= doneAtKill && done < 16, "resumed with " + done + " done, " + doneAtKill + " at the kill");
        assertEquals(16, done + Integer.parseInt(m.group(2)));
        Map<String, Stored> stored = rows(out);
        assertEquals(ids(sweep("[0, 1, 2, 3, 4, 5, 6, 7]")), stored.keySet().stream().sorted().toList());
        assertTrue(stored.values().stream().allMatch(r -> r.status().equals("OK")));
        assertTrue(Files.notExists(out.resolve("_lock")), "the resumed driver released the lock");
    }

    @Test
    @Order(7)
    void sweepCompletesWhenAWorkerDies() throws Exception {
        Sweep s = sweep("[0, 1, 2, 3, 4, 5, 6, 7]");
        Path out = dir.resolve("out");
        SparkSession spark = clusterSession();
        try {
            CompletableFuture<RunReport> run = CompletableFuture.supplyAsync(() -> {
                try {
                    return runOn(spark, s, options(out, SlowExecutor.class));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException("the sweep failed: " + e.getMessage(), e);
                }
            });
            awaitCellFiles(out, 3, null);
            cluster.killWorker(1);
            RunReport report = run.get(240, TimeUnit.SECONDS);
            assertTrue(report.failed().isEmpty(), report.failed().stream().map(Object::toString)
                    .collect(Collectors.joining("\n")));
        } finally {
            spark.stop();
        }
        Map<String, Stored> stored = rows(out);
        assertEquals(ids(s), stored.keySet().stream().sorted().toList());
        assertEquals(16, cellFiles(out));
        assertTrue(stored.values().stream().allMatch(r -> r.status().equals("OK")));
    }
}
