package org.ternsweep.runner;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;
import org.ternsweep.catalog.Catalog;
import org.ternsweep.catalog.EvaluationOptions;
import org.ternsweep.catalog.ReconstructionOptions;
import org.ternsweep.core.BadInputException;
import org.ternsweep.core.CellExecutor;
import org.ternsweep.core.CellResult;
import org.ternsweep.core.CellSpec;
import org.ternsweep.core.LayerDiagnostics;
import org.ternsweep.core.NumericalFailureException;
import org.ternsweep.core.RunContext;
import org.ternsweep.core.Sha256;
import org.ternsweep.data.Dataset;
import org.ternsweep.data.DatasetException;
import org.ternsweep.data.Datasets;
import org.ternsweep.data.NpzDataset;
import org.ternsweep.data.ResolverConfig;
import org.ternsweep.engine.Engine;
import org.ternsweep.engine.Evaluator;
import org.ternsweep.engine.Network;
import org.ternsweep.engine.Param;
import org.ternsweep.engine.Tensor;
import org.ternsweep.methods.LayerOutputs;
import org.ternsweep.methods.MethodInput;
import org.ternsweep.methods.MethodOutcome;
import org.ternsweep.methods.QuantPlan;
import org.ternsweep.methods.QuantizationMethod;
import org.ternsweep.models.Nd4jEngines;
import org.ternsweep.quant.Granularity;
import org.ternsweep.quant.LayerScheme;

/**
 * Runs one cell without Spark (docs/architecture.md): resolve the dataset, fetch or train the float
 * model through the content-addressed cache, apply the method with the cell's operator and
 * granularity, evaluate the quantized network on the test set and collect per-layer diagnostics.
 *
 * <p>One instance serves every cell of an executor JVM and is thread-safe: the dataset is held by
 * {@link Datasets}' JVM-wide cache, float models by {@link FloatModels}; each cell works on its own
 * copy of the network, bound to its own {@link Engine} (the cell's threads and the run's convolution
 * backend), so cells running side by side never share or reset each other's threads. A cell's own
 * failure — bad data, a numerical blow-up, an exception in a method — never escapes: it becomes a
 * FAILED result with the error's class and message.
 */
public final class CellRunner implements CellExecutor {
    /** ND4J's version, from its jar's Maven metadata (its manifest carries none). */
    private static final String ND4J_VERSION = nd4jVersion();

    /*
     * OpenBLAS has one thread count per process, so it is set here, once per JVM, and never per cell while
     * other cells run: one thread, because every cell's engine splits its work on its own threads (each
     * chunk with its own one-thread sgemm), and ND4J's few products in a cell are small. ND4J's backend
     * loads first: it sets OpenBLAS's thread count when it loads.
     */
    static {
        Nd4jEngines.pinOpenBlasToOneThread();
    }

    private final Map<String, FloatModels> modelsByCache = new ConcurrentHashMap<>();
    private final Map<String, Double> floatAccuracy = new ConcurrentHashMap<>();

    /** The no-arg constructor Spark tasks use. */
    public CellRunner() {
    }

    /**
     * A cell computed again outside Spark ({@code ternsweep reproduce} and {@code export}).
     *
     * @param result     the cell's result, as {@link #run} returns it
     * @param network    the quantized network the result was measured on, or null when the cell FAILED
     * @param imageShape the network's per-image input shape {@code [C, H, W]}, or null when the cell FAILED
     */
    public record Reproduction(CellResult result, Network network, int[] imageShape) {
    }

    @Override
    public CellResult run(CellSpec spec, RunContext context) {
        return run(spec, context, (net, shape) -> { });
    }

    /** {@link #run}, which also hands back the quantized network it evaluated. */
    public Reproduction reproduce(CellSpec spec, RunContext context) {
        Network[] net = new Network[1];
        int[][] shape = new int[1][];
        CellResult result = run(spec, context, (n, s) -> {
            net[0] = n;
            shape[0] = s.clone();
        });
        return result.status() == CellResult.Status.OK ? new Reproduction(result, net[0], shape[0])
                : new Reproduction(result, null, null);
    }

    private CellResult run(CellSpec spec, RunContext context, BiConsumer<Network, int[]> quantized) {
        Map<String, String> provenance = new LinkedHashMap<>();
        Instant start = Instant.now();
        provenance.put("cell_started_at", start.toString());
        // Spark runs spark.task.cpus = threads cores per task: the cell's engine gets that many threads
        try (Engine engine = Nd4jEngines.create(context.threads(), context.convBackend())) {
            // OpenMP's thread count is per thread: this sets it for the ND4J ops of this cell's thread only
            NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(context.threads());
            provenance.put("nd4j_backend", Nd4j.getBackend().getClass().getName());
            provenance.put("nd4j_version", ND4J_VERSION);
            // the two convolution backends round differently (docs/architecture.md, "Engine")
            provenance.put("conv_backend", engine.conv().name());
            Dataset data = dataset(spec, context);
            provenance.put("dataset_sha256", data.sha256());
            FloatModels models = modelsByCache.computeIfAbsent(context.cacheDir(),
                    dir -> new FloatModels(Path.of(dir)));
            FloatModels.Loaded floatModel = models.get(spec, data, engine, context);
            provenance.put("float_model_key", floatModel.cacheKey());
            provenance.putAll(floatModel.provenance());
            // the shared float model is never run: the cell runs its own copy, on its own engine
            Network floatNet = floatModel.network().copy().bind(engine);

            EvaluationOptions evaluation = Catalog.EVALUATION.read(spec.evaluation());
            int batch = evaluation.batch();
            int n = evaluation.testImages(data.testSize());
            // evaluated straight from the dataset's float[], one batch copied at a time
            float[] testImages = data.testImages();
            int[] imageShape = data.shape().imageShape();
            int[] testLabels = data.testLabels(0, n);
            double floatAcc = floatAccuracy.computeIfAbsent(floatModel.cacheKey() + "/" + n,
                    k -> Evaluator.evaluate(floatNet.foldBatchNorm(), testImages, imageShape, testLabels, batch)
                            .accuracy());

            QuantPlan plan = new QuantPlan(Registry.operator(spec.operator(), spec.operatorOptions()),
                    Granularity.fromName(spec.granularity()), LayerScheme.fromName(spec.firstLast()));
            QuantizationMethod method = Registry.method(spec.method(), spec.methodOptions());
            long t0 = System.nanoTime();
            MethodOutcome outcome = method.quantize(new MethodInput(floatNet, plan, data, spec.seed()));
            double quantizeSeconds = (System.nanoTime() - t0) / 1e9;
            requireFinite(outcome.network(), spec);

            Evaluator.Evaluation eval = Evaluator.evaluate(outcome.network(), testImages, imageShape, testLabels,
                    batch);
            if (!Double.isFinite(eval.crossEntropy())) {
                throw new NumericalFailureException("the quantized network of cell " + spec.cellId().substring(0, 12)
                        + " produced non-finite logits on the test set (cross-entropy " + eval.crossEntropy()
                        + "); check the method's options (learning rate, iterations)");
            }
            // measured after the test evaluation, which it cannot touch: only reads both networks
            Network reference = outcome.reference() != null ? outcome.reference() : floatNet.foldBatchNorm();
            Tensor calibration = LayerOutputs.calibrationImages(data, spec.seed(), driftImages(spec, data));
            List<LayerDiagnostics> layers = LayerOutputs.withDrift(outcome.layers(), reference, outcome.network(),
                    calibration);
            quantized.accept(outcome.network(), imageShape);
            provenance.put("cell_finished_at", Instant.now().toString());
            provenance.put("cell_seconds", String.valueOf(Duration.between(start, Instant.now()).toMillis() / 1000.0));
            return new CellResult(spec.cellId(), spec, CellResult.Status.OK, null, null, eval.accuracy(),
                    eval.crossEntropy(), floatAcc, quantizeSeconds, eval.seconds(), layers,
                    outcome.trainingCurve(), provenance);
        } catch (Exception | StackOverflowError | OutOfMemoryError e) {
            provenance.put("cell_finished_at", Instant.now().toString());
            return CellResult.failed(spec, e, provenance);
        }
    }

    /**
     * How many calibration images the drift diagnostics use (spec §6): the method's own calibration size where it
     * has one, else the catalog's default calibration size, at most the training set.
     */
    private static int driftImages(CellSpec spec, Dataset data) {
        Object given = spec.methodOptions().get(ReconstructionOptions.CALIBRATION.name());
        Object n = given != null ? given : ReconstructionOptions.CALIBRATION.spec().defaultValue();
        return Math.min(((Number) n).intValue(), data.trainSize());
    }

    /**
     * The cell's dataset: a built-in one through the resolver chain, or a user's npz named by its SHA-256 in the
     * cell's {@code dataset_source}, read from the local path the driver put into the run's input files (a file
     * the sweep named by a Hadoop URI is staged into the cache by the driver) and checked against that hash.
     */
    static Dataset dataset(CellSpec spec, RunContext context) throws DatasetException {
        Map<String, Object> source = spec.datasetSource();
        if (source.isEmpty()) {
            return Datasets.load(spec.dataset(), resolverConfig(context));
        }
        if (!"npz".equals(source.get("format")) || !(source.get("sha256") instanceof String sha)
                || !Sha256.isHex(sha)) {
            throw new BadInputException("cell " + spec.cellId().substring(0, 12) + " has dataset_source " + source
                    + "; this build reads {format: npz, sha256: <64 hex digits>}");
        }
        return NpzDataset.load(spec.dataset(), Path.of(context.inputFile(sha)), sha);
    }

    private static ResolverConfig resolverConfig(RunContext context) {
        // The driver folded --data and TERNSWEEP_DATA into dataPath; executors read no environment.
        return new ResolverConfig(context.dataPath() == null ? null : Path.of(context.dataPath()),
                ResolverConfig.DEBIAN_ROOT, Path.of(context.cacheDir()), context.allowDownload(), Duration.ofSeconds(60));
    }

    private static void requireFinite(Network net, CellSpec spec) {
        for (Param p : net.params()) {
            if (!allFinite(p.valueFloats())) {
                throw new NumericalFailureException("method " + spec.method() + " produced NaN or Inf in " + p.name()
                        + " (operator " + spec.operator() + ", seed " + spec.seed() + "); try a lower learning rate"
                        + " or fewer iterations");
            }
        }
    }

    private static boolean allFinite(float[] values) {
        for (float v : values) {
            if (!Float.isFinite(v)) {
                return false;
            }
        }
        return true;
    }

    private static String nd4jVersion() {
        try (java.io.InputStream in = Nd4j.class.getResourceAsStream("/META-INF/maven/org.nd4j/nd4j-api/pom.properties")) {
            if (in == null) {
                return "unknown (no Maven metadata in the nd4j-api jar)";
            }
            java.util.Properties p = new java.util.Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (java.io.IOException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }
}
