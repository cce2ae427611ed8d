package org.ternsweep.driver.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.ternsweep.catalog.Catalog;
import org.ternsweep.core.BadInputException;
import org.ternsweep.data.CacheDirs;
import org.ternsweep.data.ResolverConfig;
import org.ternsweep.driver.spark.GpuScheduling;
import org.ternsweep.driver.spark.RunOptions;
import org.ternsweep.driver.spark.RunReport;
import org.ternsweep.driver.spark.SparkSessions;
import org.ternsweep.driver.spark.StandaloneSettings;
import org.ternsweep.driver.spark.SweepRunner;
import org.ternsweep.driver.sweep.Sweep;
import org.ternsweep.driver.sweep.SweepParser;
import org.ternsweep.engine.ConvBackends;
import org.ternsweep.results.store.OutputLayout;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code ternsweep run <sweep.yaml>}: validate, then run the cells not yet done on Spark and
 * summarise: summary.parquet, comparisons.parquet and the reports, as {@code ternsweep report} builds
 * them. Environment defaults are read here, once ({@code TERNSWEEP_CACHE}, {@code TERNSWEEP_DATA}, the
 * {@value #CONV_PROPERTY} system property); executors only see the resolved
 * {@link org.ternsweep.core.RunContext}.
 */
@Command(name = "run", description = "Run a sweep: only the cells not already done; FAILED cells rerun.")
public final class RunCommand implements Callable<Integer> {
    /** The system property naming the convolution backend of every cell: {@code dnnl} (default) or {@code gemm}. */
    static final String CONV_PROPERTY = "ternsweep.conv";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Parameters(index = "0", paramLabel = "SWEEP.yaml", description = "the sweep file")
    Path sweepFile;

    @CommandLine.Option(names = "--out", paramLabel = "DIR", description = "output directory (default runs/<sweep name>)")
    String out;

    @CommandLine.Option(names = "--master", defaultValue = "local[*]", description = "Spark master URL (default ${DEFAULT-VALUE})")
    String master;

    @CommandLine.Option(names = "--cache", paramLabel = "DIR",
            description = "model/dataset cache (default $TERNSWEEP_CACHE or ~/.cache/ternsweep)")
    String cache;

    @CommandLine.Option(names = "--data", paramLabel = "DIR",
            description = "dataset directory (default $TERNSWEEP_DATA, then the executors' search path)")
    String data;

    @CommandLine.Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "override a key or axis; VALUE is YAML, e.g. --set seeds=[0,1,2,3] --set first_last=fp")
    List<String> overrides = new ArrayList<>();

    @CommandLine.Option(names = "--reference", paramLabel = "OPERATOR",
            description = "the operator the others are compared against (default: the sweep's reference key,"
                    + " itself " + Catalog.DEFAULT_REFERENCE + " by default); the same as --set reference=OPERATOR")
    String reference;

    @CommandLine.Option(names = "--threads-per-cell", paramLabel = "N", defaultValue = "1",
            description = "cores per cell: spark.task.cpus and the executor's ND4J threads (default ${DEFAULT-VALUE})")
    int threadsPerCell;

    @CommandLine.Option(names = "--gpu-per-cell", paramLabel = "FRACTION", defaultValue = "1",
            description = "with engine: cuda on a cluster, the share of a GPU each cell asks Spark for:"
                    + " spark.task.resource.gpu.amount, e.g. 0.25 packs four cells per GPU (default ${DEFAULT-VALUE};"
                    + " docs/gpu.md)")
    double gpuPerCell;

    @CommandLine.Option(names = "--force-unlock",
            description = "take over the output directory's _lock when the driver holding it is dead (refused while it"
                    + " runs on this host)")
    boolean forceUnlock;

    @CommandLine.Option(names = "--offline", description = "never download a missing dataset")
    boolean offline;

    @CommandLine.Option(names = "--ui", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "start Spark's web UI (on 127.0.0.1 in local mode; default on)")
    boolean ui;

    @CommandLine.Option(names = "--conf", paramLabel = "KEY=VALUE",
            description = "a Spark setting, repeatable, e.g. --conf spark.executor.memory=2g (applied last)")
    Map<String, String> sparkConf = new LinkedHashMap<>();

    @CommandLine.Option(names = "--spark-secret-file", paramLabel = "FILE",
            description = "a Spark standalone cluster's authentication secret, read from FILE (mode 600) so that it is"
                    + " on no command line; sets spark.authenticate and spark.authenticate.secret")
    Path sparkSecretFile;

    @CommandLine.Option(names = "--executor-class", hidden = true, defaultValue = RunOptions.DEFAULT_EXECUTOR,
            description = "the CellExecutor implementation (for tests)")
    String executorClass;

    @Override
    public Integer call() throws Exception {
        List<String> settings = new ArrayList<>(overrides);
        if (reference != null) {
            // through the sweep, so that sweep.yaml records it and `ternsweep report` uses it again
            settings.add("reference=" + reference);
        }
        Sweep sweep = SweepParser.parse(sweepFile, settings);
        // checked before Spark starts, so that a bad --out creates nothing
        OutputLayout layout = OutputLayout.forUserPath(out != null ? out : defaultOut(sweep.name()), "--out");
        RunOptions options = new RunOptions(layout.root(),
                CacheDirs.resolve(cache).toString(), ResolverConfig.dataPath(data, System.getenv()), threadsPerCell,
                forceUnlock, executorClass, !offline, convBackend());
        PrintWriter console = spec.commandLine().getOut();
        // the GPU requests first, so that the standalone settings and the user's --conf settings win
        Map<String, String> conf = new LinkedHashMap<>(GpuScheduling.conf(master, sweep.engine(), gpuPerCell));
        conf.putAll(StandaloneSettings.classpath(master, sparkConf));
        if (sparkSecretFile != null) {
            conf.putAll(StandaloneSettings.secret(sparkSecretFile));
        }
        conf.putAll(sparkConf);
        SparkSession spark = SparkSessions.create(master, threadsPerCell, "ternsweep " + sweep.name(), ui, conf);
        try {
            RunReport report = new SweepRunner(spark, console, System.console() != null).run(sweep, options);
            console.flush();
            return report.failed().isEmpty() ? Main.OK : Main.FAILED;
        } catch (Exception e) {
            // Spark may hand out the session before the master has answered, and cancel the first job when
            // it gives up registering: that is a refused driver (e.g. no secret), not a bug.
            if (SparkSessions.neverRegistered(spark, master)) {
                throw SparkSessions.refused(master, conf, e);
            }
            throw e;
        } finally {
            spark.stop();
        }
    }

    /**
     * {@code runs/<name>}, refused unless it lies strictly inside {@code runs/} once normalised: the sweep
     * parser's name rule keeps names such as ".." out, and this keeps any name that slips past it from
     * writing elsewhere.
     */
    static String defaultOut(String name) {
        Path runs = Paths.get("runs");
        Path dir = runs.resolve(name).normalize();
        if (!dir.startsWith(runs) || dir.equals(runs) || dir.getNameCount() != 2) {
            throw new BadInputException("the sweep name '" + name + "' would put the output directory at " + dir
                    + ", outside runs/; name the sweep with letters, digits, '.', '_' and '-' (not '.' or '..'),"
                    + " or give --out");
        }
        return dir.toString();
    }

    private String convBackend() {
        String value = System.getProperty(CONV_PROPERTY, ConvBackends.DEFAULT);
        try {
            return ConvBackends.check(value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "system property " + CONV_PROPERTY + "="
                    + value + ": " + e.getMessage());
        }
    }
}
