package org.ternsweep.driver.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.util.LongAccumulator;
import org.apache.spark.util.SerializableConfiguration;
import org.ternsweep.core.CellExecutor;
import org.ternsweep.core.CellResult;
import org.ternsweep.core.CellSpec;
import org.ternsweep.core.RunContext;
import org.ternsweep.driver.store.CellStore;
import org.ternsweep.engine.CudaProbe;
import org.ternsweep.engine.EngineSelection;
import org.ternsweep.results.store.OutputLayout;

/**
 * The body of one Spark task: run one cell and store its row. Captures only serializable values
 * (the layout, the executor's class name, the {@link RunContext}, a broadcast Hadoop configuration),
 * never the driver.
 *
 * <p>Threads: Spark reserves {@code spark.task.cpus} cores for this task; {@link RunContext#threads()}
 * carries the same number, and the {@link CellExecutor} sets its ND4J/OpenMP thread count from it
 * (the driver never touches ND4J). A cell that throws — although executors should return
 * {@link CellResult#failed} — becomes a FAILED row here, so the sweep goes on.
 */
public final class CellTask implements Function<CellSpec, CellOutcome> {
    private static final long serialVersionUID = 1L;
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(CellTask.class);

    private final OutputLayout layout;
    private final String executorClass;
    private final RunContext context;
    private final Broadcast<SerializableConfiguration> hadoopConf;
    private final String applicationId;
    private final String projectVersion;
    private final String gitCommit;
    private final LongAccumulator failedCells;
    private final String engine;
    private final String engineRequested;

    /**
     * @param engine          the engine the driver resolved ({@link EngineSelection}), for the provenance
     * @param engineRequested the sweep's engine setting; unless it is {@code cpu}, each task also records the GPUs
     *                        of its own machine ({@link CudaProbe#cached()})
     */
    public CellTask(OutputLayout layout, String executorClass, RunContext context,
                    Broadcast<SerializableConfiguration> hadoopConf, String applicationId, String projectVersion,
                    String gitCommit, LongAccumulator failedCells, String engine, String engineRequested) {
        this.layout = layout;
        this.executorClass = executorClass;
        this.context = context;
        this.hadoopConf = hadoopConf;
        this.applicationId = applicationId;
        this.projectVersion = projectVersion;
        this.gitCommit = gitCommit;
        this.failedCells = failedCells;
        this.engine = engine;
        this.engineRequested = engineRequested;
    }

    @Override
    public CellOutcome call(CellSpec spec) {
        Instant start = Instant.now();
        // One line at start and end, so an executor's log says which cell it ran (and which one it died in).
        LOG.info("cell {} start: operator={} method={} seed={}", spec.cellId(), spec.operator(), spec.method(),
                spec.seed());
        CellResult result;
        try {
            CellExecutor executor = ExecutorCache.get(executorClass);
            result = executor.run(spec, context);
            if (result == null) {
                throw new IllegalStateException("cell executor " + executorClass + " returned no result");
            }
            if (!spec.cellId().equals(result.cellId())) {
                throw new IllegalStateException("cell executor " + executorClass + " returned the result of cell "
                        + result.cellId() + " for cell " + spec.cellId());
            }
        } catch (VirtualMachineError e) {
            if (!(e instanceof StackOverflowError)) {
                throw e; // out of memory: let Spark retry the task / lose the executor
            }
            result = CellResult.failed(spec, e, Map.of());
        } catch (RuntimeException | LinkageError | AssertionError e) {
            result = CellResult.failed(spec, e, Map.of());
        }
        Instant end = Instant.now();
        TaskContext task = TaskContext.get();
        String attempt = task == null ? "local" : "t" + task.taskAttemptId() + "a" + task.attemptNumber();
        result = withTaskProvenance(spec, result, provenance(task, start, end));
        try {
            new CellStore(layout).write(result, end, attempt, hadoopConf.value().value());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store the result of cell " + spec.cellId() + " under "
                    + layout.cells() + ": " + e.getMessage(), e);
        }
        if (result.status() == CellResult.Status.FAILED) {
            failedCells.add(1);
        }
        LOG.info("cell {} end: operator={} method={} seed={} status={} seconds={}", spec.cellId(), spec.operator(),
                spec.method(), spec.seed(), result.status(), (end.toEpochMilli() - start.toEpochMilli()) / 1000.0);
        return new CellOutcome(spec.cellId(), result.status(), spec.operator(), spec.method(), spec.seed(),
                result.errorClass(), result.errorMessage(), (end.toEpochMilli() - start.toEpochMilli()) / 1000.0);
    }

    /**
     * {@code result} with the task's provenance added; an executor that wrote one of the task's keys
     * itself gets a FAILED row that names the keys, rather than a row stating one of two values.
     */
    static CellResult withTaskProvenance(CellSpec spec, CellResult result, Map<String, String> taskProvenance) {
        try {
            return result.withProvenance(taskProvenance);
        } catch (IllegalArgumentException e) {
            return CellResult.failed(spec, e, Map.of()).withProvenance(taskProvenance);
        }
    }

    private Map<String, String> provenance(TaskContext task, Instant start, Instant end) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("host", hostName());
        SparkEnv env = SparkEnv.get();
        p.put("executor_id", env == null ? "none" : env.executorId());
        if (task != null) {
            p.put("task_attempt_id", Long.toString(task.taskAttemptId()));
            p.put("task_attempt_number", Integer.toString(task.attemptNumber()));
            p.put("stage_id", Integer.toString(task.stageId()));
        }
        p.put("task_started_at", start.toString());
        p.put("task_finished_at", end.toString());
        p.put("threads", Integer.toString(context.threads()));
        p.put("engine", engine);
        p.put("engine_requested", engineRequested);
        if (!engineRequested.equals("cpu")) {
            p.putAll(CudaProbe.cached().provenance());
        }
        p.put("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        p.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        p.put("arch", System.getProperty("os.arch"));
        p.put("available_processors", Integer.toString(Runtime.getRuntime().availableProcessors()));
        p.put("project_version", projectVersion);
        p.put("git_commit", gitCommit);
        p.put("spark_version", org.apache.spark.package$.MODULE$.SPARK_VERSION());
        p.put("spark_app_id", applicationId);
        p.put("executor_class", executorClass);
        return p;
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }
}
