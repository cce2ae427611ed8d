package org.ternsweep.driver.spark;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
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
import org.ternsweep.driver.sweep.InputFiles;
import org.ternsweep.driver.sweep.StoredSweep;
import org.ternsweep.engine.EngineSelection;
import org.ternsweep.results.SweepReport;
import org.ternsweep.results.model.CellRow;
import org.ternsweep.results.render.ConsoleTable;
import org.ternsweep.results.stats.AdaptiveSeeds;
import org.ternsweep.results.store.CellCompactor;
import org.ternsweep.results.store.CellReader;
import org.ternsweep.results.store.OutputLayout;
import org.ternsweep.results.store.StoredCell;

/**
 * Runs a sweep on a Spark session (docs/architecture.md): resolve the engine (a refused {@code engine: cuda}
 * stops here, before anything is written), take the output directory's lock, write
 * the resolved sweep, expand the grid, clean {@code cells/_tmp}, move unreadable cell files to
 * {@code cells/_corrupt/}, skip the cells already stored as OK (FAILED and unreadable ones rerun),
 * fan out one task per remaining cell (with adaptive seeds: in rounds, each group's seeds decided by
 * {@link AdaptiveSeeds} from the stored cells), then build the statistics and reports of the grid's cells from
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
        // before the lock and sweep.yaml: a refused engine leaves the output directory as it was
        EngineSelection.Resolved engine = EngineSelection.resolve(sweep.engine(), "the driver's host " + host());
        OutputLayout layout = new OutputLayout(options.out());
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        options = options.withInputFiles(InputFiles.forExecutors(sweep.inputFiles(), options.cacheDir()));
        sweep.warnings().forEach(w -> console.println("note: " + w));
        try (RunLock lock = RunLock.acquire(layout, conf, options.forceUnlock())) {
            writeResolvedSweep(sweep, layout, conf);
            CellStore store = new CellStore(layout);
            int leftovers = store.cleanTmp(conf);
            if (leftovers > 0) {
                console.printf("removed %d file(s) that an interrupted run left in %s%n", leftovers, layout.tmp());
            }
            Counts counts = sweep.adaptive() == null ? runGrid(sweep, options, engine, layout, conf, store)
                    : runRounds(sweep, options, engine, layout, conf, store);
            if (counts.executed > 0) {
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
            return new RunReport(counts.total, counts.done, counts.toRun, counts.executed, failed,
                    result.data().summary(), result.data().comparisons());
        }
    }

    /** What a run did: cells planned, already OK before, to run, and run. */
    private record Counts(int total, int done, int toRun, int executed) {
    }

    /** A fixed seed axis: every grid cell not stored as OK runs, in one fan-out. */
    private Counts runGrid(org.ternsweep.driver.sweep.Sweep sweep, RunOptions options,
                           EngineSelection.Resolved engine, OutputLayout layout, Configuration conf, CellStore store)
            throws IOException {
        List<CellSpec> cells = org.ternsweep.driver.sweep.Grid.expand(sweep);
        Map<String, CellRow.Status> stored = store.statuses(conf, console::println);
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
        int executed = execute(toRun, options, engine, layout, conf, store);
        return new Counts(cells.size(), done, toRun.size(), executed);
    }

    /**
     * Adaptive seeds (docs/statistics.md): rounds of {@link AdaptiveSeeds#plan} over the stored cells. A unit is
     * a group and operator over all its model seeds; its seeds are those any of its cells ran, each run at every
     * model seed. A round runs, per unit, the cells of its seeds so far and of the seeds the plan adds that are
     * not stored as OK and were not tried in this run (so FAILED cells rerun once per run, as with a fixed axis,
     * and a round cut short is completed), until the plan adds no seed. The plan reads only stored cells, so a
     * rerun resumes where the last one stopped.
     */
    private Counts runRounds(org.ternsweep.driver.sweep.Sweep sweep, RunOptions options,
                             EngineSelection.Resolved engine, OutputLayout layout, Configuration conf,
                             CellStore store) throws IOException {
        AdaptiveSeeds.Policy policy = sweep.adaptive();
        // moves unreadable cell files aside first, so the rounds' reads of the stored cells see only sound ones
        store.statuses(conf, console::println);
        Map<String, CellSpec> grid = new LinkedHashMap<>();
        org.ternsweep.driver.sweep.Grid.expand(sweep).forEach(c -> grid.put(c.cellId(), c));
        Map<CellSpec, List<CellSpec>> byUnit = new LinkedHashMap<>();
        grid.values().forEach(c -> byUnit.computeIfAbsent(unitOf(c), u -> new ArrayList<>()).add(c));
        List<AdaptiveSeeds.Pair<CellSpec>> pairs = new ArrayList<>();
        for (CellSpec u : byUnit.keySet()) {
            if (u.operator().equals(sweep.reference())) {
                continue;
            }
            for (CellSpec r : byUnit.keySet()) {
                if (r.operator().equals(sweep.reference()) && groupOf(r).equals(groupOf(u))) {
                    pairs.add(new AdaptiveSeeds.Pair<>(u, r));
                }
            }
        }
        console.printf("sweep %s: adaptive seeds (initial %d, max %d, step %d, 95 %% half-width <= %s) for %d"
                        + " groups x %d model seed(s), at most %d cells -> %s%n", sweep.name(), policy.initial(),
                policy.max(), policy.step(), policy.ci95HalfWidth(), byUnit.size(), sweep.modelSeeds().size(),
                grid.size(), layout.root());
        Set<String> tried = new HashSet<>();
        int done = -1;
        int toRunTotal = 0;
        int executed = 0;
        for (int round = 1; ; round++) {
            Map<String, CellRow> rows = new HashMap<>();
            for (StoredCell c : CellReader.read(layout, conf)) {
                if (grid.containsKey(c.row().cellId())) {
                    rows.put(c.row().cellId(), c.row());
                }
            }
            if (done < 0) {
                done = (int) rows.values().stream().filter(CellRow::ok).count();
            }
            Map<CellSpec, Map<Long, Double>> measured = new LinkedHashMap<>();
            byUnit.forEach((unit, specs) -> {
                Map<Long, Map<Long, Double>> byModelSeed = new TreeMap<>();
                for (CellSpec c : specs) {
                    CellRow r = rows.get(c.cellId());
                    if (r != null) {
                        byModelSeed.computeIfAbsent(c.modelSeed(), k -> new TreeMap<>())
                                .put(c.seed(), r.ok() ? r.accuracy() : Double.NaN);
                    }
                }
                measured.put(unit, AdaptiveSeeds.poolModelSeeds(byModelSeed));
            });
            AdaptiveSeeds.Plan<CellSpec> plan = AdaptiveSeeds.plan(policy, measured, pairs);
            List<CellSpec> toRun = new ArrayList<>();
            int growing = 0;
            for (Map.Entry<CellSpec, List<CellSpec>> e : byUnit.entrySet()) {
                Set<Long> seeds = new HashSet<>(measured.get(e.getKey()).keySet());
                List<Long> next = plan.units().get(e.getKey()).nextSeeds();
                seeds.addAll(next);
                growing += next.isEmpty() ? 0 : 1;
                for (CellSpec c : e.getValue()) {
                    CellRow r = rows.get(c.cellId());
                    if (seeds.contains(c.seed()) && (r == null || !r.ok()) && tried.add(c.cellId())) {
                        toRun.add(c);
                    }
                }
            }
            if (toRun.isEmpty()) {
                long met = plan.units().values().stream().filter(u -> u.status() == AdaptiveSeeds.Status.MET).count();
                console.printf("adaptive seeds: %d of %d groups met the target, %d ran the most seeds allowed%n", met,
                        plan.units().size(), plan.units().size() - met);
                return new Counts(done + toRunTotal, done, toRunTotal, executed);
            }
            console.printf("round %d: %d cells, %d group(s) get more seeds%n", round, toRun.size(), growing);
            toRunTotal += toRun.size();
            executed += execute(toRun, options, engine, layout, conf, store);
        }
    }

    /** The adaptive rule's unit of a cell: the cell with model seed and seed set to 0. */
    private static CellSpec unitOf(CellSpec c) {
        return new CellSpec(c.dataset(), c.model(), c.recipe(), 0, c.operator(), c.operatorOptions(), c.granularity(),
                c.firstLast(), c.method(), c.methodOptions(), 0, c.evaluation(), c.modelSource(), c.datasetSource());
    }

    /** A unit without its operator: units of one group share it. */
    private static CellSpec groupOf(CellSpec u) {
        return new CellSpec(u.dataset(), u.model(), u.recipe(), 0, "", Map.of(), u.granularity(), u.firstLast(),
                u.method(), u.methodOptions(), 0, u.evaluation(), u.modelSource(), u.datasetSource());
    }

    /** Runs {@code toRun} in one fan-out and prints its figures; returns the number of cells run. */
    private int execute(List<CellSpec> toRun, RunOptions options, EngineSelection.Resolved engine,
                        OutputLayout layout, Configuration conf, CellStore store) throws IOException {
        if (toRun.isEmpty()) {
            return 0;
        }
        store.checkWritable(conf);
        long t0 = System.nanoTime();
        List<CellOutcome> outcomes = fanOut(toRun, options, engine, layout, conf);
        double wall = (System.nanoTime() - t0) / 1e9;
        int slots = Math.max(1, spark.sparkContext().defaultParallelism() / options.threadsPerCell());
        console.println(new FanOutStats(outcomes.size(), wall, outcomes.stream().mapToDouble(CellOutcome::seconds).sum(),
                slots).describe());
        return outcomes.size();
    }

    private List<CellOutcome> fanOut(List<CellSpec> toRun, RunOptions options, EngineSelection.Resolved engine,
                                     OutputLayout layout, Configuration conf) {
        SparkContext sc = spark.sparkContext();
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(sc);
        LongAccumulator failedCells = sc.longAccumulator("ternsweep.failedCells");
        RunContext context = new RunContext(options.dataDir(), options.cacheDir(), options.threadsPerCell(),
                options.allowDownload(), options.convBackend(), options.inputFiles());
        CellTask task = new CellTask(layout, options.executorClass(), context,
                jsc.broadcast(new SerializableConfiguration(conf)), sc.applicationId(), ProjectVersion.get(),
                ProjectVersion.gitCommit(), failedCells, engine.engine(), engine.requested());
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

    private static String host() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "(unknown: " + e.getMessage() + ")";
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
