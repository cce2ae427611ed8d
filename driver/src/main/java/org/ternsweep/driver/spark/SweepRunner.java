package org.ternsweep.driver.spark;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.LongAccumulator;
import org.apache.spark.util.SerializableConfiguration;
import org.ternsweep.core.BadInputException;
import org.ternsweep.core.CellSpec;
import org.ternsweep.core.RunContext;
import org.ternsweep.driver.spark.RunReport.FailedCell;
import org.ternsweep.driver.store.CellStore;
import org.ternsweep.driver.store.RunLock;
import org.ternsweep.driver.sweep.StoredSweep;
import org.ternsweep.results.SweepReport;
import org.ternsweep.results.model.CellRow;
import org.ternsweep.results.render.ConsoleTable;
import org.ternsweep.results.store.CellCompactor;
import org.ternsweep.results.store.OutputLayout;

/**
 * Runs a sweep on a Spark session (docs/architecture.md): take the output directory's lock, write
 * the resolved sweep, expand the grid, skip the cells already stored as OK (FAILED ones rerun),
 * fan out one task per remaining cell, then build the statistics and reports of the grid's cells from
 * the stored files ({@link SweepReport}, the same code as {@code ternsweep report}) and print the table
 * and the failures.
 */
public final class SweepRunner {
    /** The Spark job group of the cell fan-out (the progress listener counts only its tasks). */
    public static final String JOB_GROUP = "ternsweep-cells";

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER));

    private final SparkSession spark;
    private final PrintWriter console;
    private final boolean tty;

    /**
     * @param console where the plan, progress, table and failures go
     * @param tty     whether {@code console} is a terminal (progress rewrites one line)
     */
    public SweepRunner(SparkSession spark, PrintWriter console, boolean tty) {
        this.spark = spark;
        this.console = console;
        this.tty = tty;
    }

    /**
     * Runs the sweep.
     *
     * @throws BadInputException       when the executor class cannot be used
     * @throws RunLock.LockedException when another driver holds the output directory
     */
    public RunReport run(org.ternsweep.driver.sweep.Sweep sweep, RunOptions options) throws IOException {
        ExecutorCache.check(options.executorClass());
        OutputLayout layout = new OutputLayout(options.out());
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        try (RunLock lock = RunLock.acquire(layout, conf, options.forceUnlock())) {
            writeResolvedSweep(sweep, layout, conf);
            List<CellSpec> cells = org.ternsweep.driver.sweep.Grid.expand(sweep);
            CellStore store = new CellStore(layout);
            Map<String, CellRow.Status> stored = store.statuses(conf);
            List<CellSpec> toRun = new ArrayList<>();
            int failedBefore = 0;
            for (CellSpec c : cells) {
                CellRow.Status status = stored.get(c.cellId());
                if (status != CellRow.Status.OK) {
                    toRun.add(c);
                    failedBefore += status == CellRow.Status.FAILED ? 1 : 0;
                }
            }
            int done = cells.size() - toRun.size();
            console.printf("sweep %s: %d cells (%d in the grid product), already done %d, to run %d%s -> %s%n",
                    sweep.name(), cells.size(), org.ternsweep.driver.sweep.Grid.product(sweep), done, toRun.size(),
                    failedBefore > 0 ? " (" + failedBefore + " FAILED before, rerun)" : "", layout.root());
            if (!toRun.isEmpty()) {
                store.checkWritable(conf);
            }
            long t0 = System.nanoTime();
            List<CellOutcome> outcomes = toRun.isEmpty() ? List.of() : fanOut(toRun, options, layout, conf);
            int executed = outcomes.size();
            if (executed > 0) {
                double wall = (System.nanoTime() - t0) / 1e9;
                int slots = Math.max(1, spark.sparkContext().defaultParallelism() / options.threadsPerCell());
                console.println(new FanOutStats(executed, wall, outcomes.stream().mapToDouble(CellOutcome::seconds).sum(),
                        slots).describe());
                int superseded = CellCompactor.reconcile(layout, conf);
                if (superseded > 0) {
                    console.printf("removed %d superseded row(s) from the compacted cell files%n", superseded);
                }
            }
            SweepReport.Result result = SweepReport.build(layout, conf, StoredSweep.read(layout, conf), null);
            List<FailedCell> failed = result.failed().stream().map(c -> new FailedCell(c.cellId(), c.operator(),
                    c.method(), c.seed(), c.errorClass(), c.error())).toList();
            console.print(ConsoleTable.render(result.data()));
            if (result.rendered().isEmpty()) {
                console.println("wrote summary.parquet and comparisons.parquet; " + layout.root() + " is not local,"
                        + " so render the reports with `ternsweep report` on a local copy");
            } else {
                console.println("wrote summary.parquet, comparisons.parquet and " + result.rendered().size()
                        + " report files (report.md, report.ipynb, ...) to " + layout.root());
            }
            if (!failed.isEmpty()) {
                console.println(failed.size() + " cell(s) FAILED (they rerun on the next `ternsweep run`):");
                failed.forEach(f -> console.println("  " + f.describe()));
            }
            return new RunReport(cells.size(), done, toRun.size(), executed, failed, result.data().summary(),
                    result.data().comparisons());
        }
    }

    private List<CellOutcome> fanOut(List<CellSpec> toRun, RunOptions options, OutputLayout layout, Configuration conf) {
        SparkContext sc = spark.sparkContext();
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(sc);
        LongAccumulator failedCells = sc.longAccumulator("ternsweep.failedCells");
        RunContext context = new RunContext(options.dataDir(), options.cacheDir(), options.threadsPerCell(),
                options.allowDownload(), options.convBackend());
        CellTask task = new CellTask(layout, options.executorClass(), context,
                jsc.broadcast(new SerializableConfiguration(conf)), sc.applicationId(), ProjectVersion.get(),
                ProjectVersion.gitCommit(), failedCells);
        ProgressTracker tracker = new ProgressTracker(toRun.size(), console, tty, Duration.ofSeconds(10),
                System::nanoTime);
        ProgressListener listener = new ProgressListener(JOB_GROUP, tracker, failedCells);
        sc.addSparkListener(listener);
        sc.setJobGroup(JOB_GROUP, "ternsweep cells", false);
        try {
            List<CellOutcome> outcomes = jsc.parallelize(toRun, toRun.size()).map(task).collect();
            tracker.finish(failedCells.value());
            return outcomes;
        } finally {
            sc.clearJobGroup();
            sc.removeSparkListener(listener);
        }
    }

    private static void writeResolvedSweep(org.ternsweep.driver.sweep.Sweep sweep, OutputLayout layout,
                                           Configuration conf) throws IOException {
        FileSystem fs = layout.sweepYaml().getFileSystem(conf);
        try (OutputStream out = fs.create(layout.sweepYaml(), true)) {
            out.write(("# resolved by ternsweep " + ProjectVersion.get() + ": every default filled in\n")
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
            YAML.writeValue(out, sweep.toResolvedMap());
        }
    }
}
