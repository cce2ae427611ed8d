package org.ternsweep.driver.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ternsweep.core.CellSpec;
import org.ternsweep.driver.cli.Main;
import org.ternsweep.driver.spark.SparkSessions;
import org.ternsweep.driver.sweep.Grid;
import org.ternsweep.driver.sweep.SweepParser;
import org.ternsweep.results.store.CellReader;
import org.ternsweep.results.store.OutputLayout;
import org.ternsweep.results.store.StoredCell;

/**
 * {@code ternsweep submit} end to end (maven-failsafe, integration-test phase, after the app jar is
 * shaded): the quick sweep, reduced for time to its 6 data-free cells of seed 0 (3 operators x 2
 * granularities) with a tiny float recipe, is submitted with Spark's SparkSubmit and the app jar to a
 * two-Worker standalone cluster whose jars are Spark's only, so the executors run the real CellRunner
 * from the shipped app jar. The same sweep then runs in local[2] with a separate model cache; the cell
 * ids must be the same and every accuracy equal to 1e-6. While the sweep runs, the driver's web UI
 * must answer on 127.0.0.1 and not on the machine's network address.
 */
@Tag("cluster")
class SubmitIT {
    static final Path FASHION = Path.of("/usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz");

    /** The reduction of sweeps/quick.yaml: everything but seeds, methods, recipe and test subset is quick's. */
    static final List<String> REDUCED = List.of("--set=seeds=[0]", "--set=methods=[data-free]",
            "--set=recipe={epochs: 0.2, train_subset: 2000}", "--set=evaluation={test_subset: 500}");

    @TempDir
    static Path shared;
    static LocalCluster cluster;

    @BeforeAll
    static void startCluster() throws IOException, InterruptedException {
        Assumptions.assumeTrue(Files.exists(FASHION), "Fashion-MNIST is not installed: apt-get install -y"
                + " dataset-fashion-mnist");
        cluster = LocalCluster.start(shared.resolve("cluster"), LocalCluster.sparkOnlyClasspath());
    }

    @AfterAll
    static void stopCluster() throws IOException, InterruptedException {
        if (cluster != null) {
            cluster.close();
        }
    }

    static Path appJar() throws IOException {
        String prop = System.getProperty("ternsweep.appJar");
        if (prop != null) {
            return Path.of(prop);
        }
        Path target = LocalCluster.repoRoot().resolve("driver/target");
        try (Stream<Path> s = Files.list(target)) {
            return s.filter(p -> p.getFileName().toString().matches("ternsweep-driver-.*-app\\.jar")).findFirst()
                    .orElse(target.resolve("ternsweep-driver-app.jar"));
        }
    }

    private static int cli(List<String> args, ByteArrayOutputStream out) {
        return Main.execute(args.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
    }

    @Test
    void submitToTheClusterGivesTheSameCellsAsLocalMode() throws IOException {
        Path jar = appJar();
        int uiPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            uiPort = s.getLocalPort();
        }
        assertTrue(Files.isRegularFile(jar), jar + " is missing: run `mvn -B -pl driver -am verify` (the shade"
                + " plugin builds it in the package phase, before this test)");
        Path quick = LocalCluster.repoRoot().resolve("sweeps/quick.yaml");
        Path onCluster = shared.resolve("out-cluster");
        Path local = shared.resolve("out-local");

        List<String> submit = new ArrayList<>(List.of("submit", "--master", cluster.masterUrl(), quick.toString(),
                "--out", onCluster.toString(), "--cache", shared.resolve("cache-cluster").toString(),
                "--app-jar", jar.toString(), "--spark-secret-file", cluster.secretFile().toString(),
                "--conf", "spark.driver.host=127.0.0.1", "--conf", "spark.driver.bindAddress=127.0.0.1",
                "--conf", "spark.executor.memory=512m", "--conf", "spark.executor.cores=1",
                "--conf", "spark.executorEnv.SPARK_LOCAL_IP=127.0.0.1",
                "--conf", "spark.executor.extraJavaOptions=-Dorg.bytedeco.javacpp.maxbytes=1536M"
                        + " -Dorg.bytedeco.javacpp.maxphysicalbytes=2560M",
                "--conf", "spark.ui.port=" + uiPort, "--offline"));
        submit.addAll(REDUCED);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long t0 = System.nanoTime();
        CompletableFuture<Integer> submitted = CompletableFuture.supplyAsync(() -> cli(submit, out));
        String ui = uiReachability(submitted, uiPort);
        int rc = submitted.join();
        double clusterWall = (System.nanoTime() - t0) / 1e9;
        assertEquals(Main.OK, rc, out.toString(StandardCharsets.UTF_8) + " (the driver's output is in this test's"
                + " failsafe output file)");

        List<String> run = new ArrayList<>(List.of("run", quick.toString(), "--master", "local[2]", "--out",
                local.toString(), "--cache", shared.resolve("cache-local").toString(), "--no-ui", "--offline"));
        run.addAll(REDUCED);
        out.reset();
        t0 = System.nanoTime();
        rc = cli(run, out);
        double localWall = (System.nanoTime() - t0) / 1e9;
        assertEquals(Main.OK, rc, out.toString(StandardCharsets.UTF_8));

        List<String> grid = Grid.expand(SweepParser.parse(quick, REDUCED.stream().map(s -> s.substring(6)).toList()))
                .stream().map(CellSpec::cellId).sorted().toList();
        assertEquals(6, grid.size());
        List<StoredCell> a = CellReader.read(new OutputLayout(local.toString()), new Configuration());
        List<StoredCell> b = CellReader.read(new OutputLayout(onCluster.toString()), new Configuration());
        assertEquals(grid, a.stream().map(c -> c.row().cellId()).toList());
        assertEquals(grid, b.stream().map(c -> c.row().cellId()).toList());
        for (int i = 0; i < a.size(); i++) {
            assertEquals("OK", b.get(i).row().status().name(), b.get(i).row().error());
            assertEquals(a.get(i).row().accuracy(), b.get(i).row().accuracy(), 1e-6, "accuracy of " + grid.get(i));
            assertEquals(a.get(i).row().floatAccuracy(), b.get(i).row().floatAccuracy(), 1e-6);
            assertTrue(b.get(i).provenance().get("executor_id").matches("\\d+"), b.get(i).provenance().toString());
        }
        assertEquals("loopback only", ui, "the driver's web UI, port " + uiPort);
        assertTrue(fetchedByAnExecutor(jar), "no executor fetched " + jar.getFileName() + " into "
                + cluster.workDir(1) + " or " + cluster.workDir(2));
        System.out.printf(Locale.ROOT, "SubmitIT: 6 cells, cluster %.1f s (submit, driver JVM start included),"
                + " local[2] %.1f s; sum of cell seconds cluster %.1f, local %.1f%n", clusterWall, localWall,
                cellSeconds(b), cellSeconds(a));
    }

    /**
     * Waits for the driver's web UI (the SparkSubmit child's) on 127.0.0.1 and then tries it on this
     * machine's network address: "loopback only" when only the first answers.
     */
    private static String uiReachability(CompletableFuture<Integer> submitted, int uiPort) {
        String network = SparkSessions.networkAddress();
        while (!submitted.isDone()) {
            if (answers("127.0.0.1", uiPort)) {
                if (network == null) {
                    return "loopback only"; // no other interface to listen on
                }
                return answers(network, uiPort) ? "also on " + network : "loopback only";
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "interrupted";
            }
        }
        return "the UI never answered on 127.0.0.1 while the sweep ran";
    }

    private static boolean answers(String host, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 500);
            return true;
        } catch (IOException e) {
            return false; // refused or unreachable: what the probe is asking
        }
    }

    private static double cellSeconds(List<StoredCell> cells) {
        return cells.stream().mapToDouble(c -> Double.parseDouble(c.provenance().getOrDefault("cell_seconds", "0")))
                .sum();
    }

    /** Whether a Worker's executor directory holds the app jar (standalone executors fetch jars there). */
    private static boolean fetchedByAnExecutor(Path jar) throws IOException {
        for (int i = 1; i <= 2; i++) {
            if (!Files.isDirectory(cluster.workDir(i))) {
                continue;
            }
            try (Stream<Path> s = Files.walk(cluster.workDir(i))) {
                if (s.anyMatch(p -> p.getFileName().toString().equals(jar.getFileName().toString()))) {
                    return true;
                }
            }
        }
        return false;
    }
}
