package org.ternsweep.driver.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.ternsweep.driver.cluster.SparkSubmitLauncher;
import org.ternsweep.driver.spark.StandaloneSettings;
import org.ternsweep.driver.sweep.SweepParser;
import org.ternsweep.results.store.OutputLayout;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code ternsweep submit --master URL <sweep.yaml> [--out DIR] [--cache DIR] [run options]}: submits the
 * sweep to a Spark cluster with Spark's own SparkSubmit from the bundled jars and the shaded app jar,
 * for users without a Spark installation (docs/cluster.md). The sweep file is validated first, so a
 * typo fails here and not on the cluster. Other options are passed to {@code run} unchanged.
 */
@Command(name = "submit", description = "Submit a sweep to a Spark cluster (no Spark install needed); see docs/cluster.md.")
public final class SubmitCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Parameters(index = "0", paramLabel = "SWEEP.yaml", description = "the sweep file")
    Path sweepFile;

    @CommandLine.Option(names = "--master", required = true, paramLabel = "URL",
            description = "Spark master: spark://host:7077, yarn, k8s://https://host:443")
    String master;

    @CommandLine.Option(names = "--out", paramLabel = "DIR",
            description = "output directory, any Hadoop path every node can reach (hdfs://, s3a://, a shared mount)")
    String out;

    @CommandLine.Option(names = "--cache", paramLabel = "DIR",
            description = "model/dataset cache on a path every executor can reach (shared mount)")
    String cache;

    @CommandLine.Option(names = "--conf", paramLabel = "KEY=VALUE", description = "a Spark setting, repeatable")
    Map<String, String> sparkConf = new LinkedHashMap<>();

    @CommandLine.Option(names = "--app-jar", paramLabel = "JAR",
            description = "the shaded application jar (default driver/target/ternsweep-driver-<version>-app.jar)")
    Path appJar;

    @CommandLine.Option(names = "--spark-secret-file", paramLabel = "FILE",
            description = "a Spark standalone cluster's authentication secret (mode 600), passed to the driver as a"
                    + " file so that it is on no command line")
    Path sparkSecretFile;

    @CommandLine.Unmatched
    List<String> runArgs = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        SweepParser.parse(sweepFile, List.of()); // fail fast on a bad sweep file, before any JVM starts
        List<String> args = new ArrayList<>();
        args.add(sweepFile.toAbsolutePath().toString());
        if (out != null) {
            OutputLayout.forUserPath(out, "--out"); // the same check as run's, before spark-submit starts
            args.addAll(List.of("--out", out));
        }
        if (cache != null) {
            args.addAll(List.of("--cache", cache));
        }
        if (sparkSecretFile != null) {
            StandaloneSettings.secret(sparkSecretFile); // fail fast on a missing, empty or shared file
            args.addAll(List.of("--spark-secret-file", sparkSecretFile.toAbsolutePath().toString()));
        }
        args.addAll(runArgs);
        SparkSubmitLauncher launcher = SparkSubmitLauncher.forThisJvm(appJar);
        spec.commandLine().getOut().printf("submitting %s to %s with %s%n", sweepFile, master, launcher.appJar());
        spec.commandLine().getOut().flush();
        return launcher.run(master, sparkConf, args);
    }
}
