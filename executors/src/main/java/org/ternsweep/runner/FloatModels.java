package org.ternsweep.runner;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.ternsweep.catalog.Catalog;
import org.ternsweep.catalog.RecipeOptions;
import org.ternsweep.core.BadInputException;
import org.ternsweep.core.CellSpec;
import org.ternsweep.core.RunContext;
import org.ternsweep.core.Sha256;
import org.ternsweep.data.Dataset;
import org.ternsweep.engine.Engine;
import org.ternsweep.engine.Evaluator;
import org.ternsweep.engine.Network;
import org.ternsweep.models.EpochListener;
import org.ternsweep.models.ModelCache;
import org.ternsweep.models.ModelCacheEntry;
import org.ternsweep.models.ModelCacheKey;
import org.ternsweep.models.ModelZoo;
import org.ternsweep.models.Nd4jArrays;
import org.ternsweep.models.OptimizerKind;
import org.ternsweep.models.TrainConfig;
import org.ternsweep.models.Trainer;
import org.ternsweep.models.onnx.ImportedNetwork;
import org.ternsweep.models.onnx.OnnxImporter;

/**
 * Float baselines for cells: an imported network read from its file, or a zoo model looked up in the
 * content-addressed {@link ModelCache}, trained with the spec's recipe when missing (spec §7: deterministic given
 * architecture, dataset, recipe and model_seed); either kept loaded for the life of the executor JVM. Callers get the shared network, not
 * bound to any engine: they run a copy bound to their own.
 */
final class FloatModels {
    /**
     * A loaded float model and the key it is kept under.
     *
     * @param provenance what a cell records about where the model came from (an imported file's path, SHA-256,
     *                   producer and opset); empty for a zoo model, whose cache key says it
     */
    record Loaded(Network network, String cacheKey, Map<String, String> provenance) {
    }

    private final ModelCache cache;
    private final Map<String, Loaded> loaded = new ConcurrentHashMap<>();

    FloatModels(Path cacheRoot) {
        this.cache = new ModelCache(cacheRoot);
    }

    /**
     * The float model of {@code spec}: an imported network read from the file {@code context} names for its
     * SHA-256, or a zoo model trained on {@code engine} when it is not in the cache.
     */
    Loaded get(CellSpec spec, Dataset data, Engine engine, RunContext context) throws IOException {
        if (spec.importedModel()) {
            return imported(spec, data, context);
        }
        ModelCacheKey key = new ModelCacheKey(spec.model(), data.sha256(), spec.recipe(), spec.modelSeed(),
                data.shape());
        try {
            return loaded.computeIfAbsent(key.id(), id -> {
                try {
                    ModelCacheEntry entry = cache.getOrBuild(key, () -> {
                        Network net = train(spec, data, engine);
                        // the recorded float accuracy is on the full test set, in batches of the default size
                        Evaluator.Evaluation eval = Evaluator.evaluate(net.copy().foldBatchNorm(),
                                Nd4jArrays.tensor(data.testImages(0, data.testSize())),
                                data.testLabels(0, data.testSize()), Catalog.EVALUATION.defaults().batch());
                        Map<String, String> provenance = new LinkedHashMap<>();
                        String version = FloatModels.class.getPackage().getImplementationVersion();
                        provenance.put("trained_by", version == null ? "ternsweep" : "ternsweep " + version);
                        // the convolution backends round differently: say which one trained this model
                        provenance.put("conv_backend", engine.conv().name());
                        provenance.put("test_accuracy", String.valueOf(eval.accuracy()));
                        provenance.put("host", hostName());
                        return new ModelCache.Built(net, eval.accuracy(), provenance);
                    });
                    return new Loaded(entry.network(), id, Map.of());
                } catch (IOException e) {
                    throw new UncheckedIOException("float model " + spec.model() + " (cache key " + id + "): " + e.getMessage(), e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /**
     * The network of an imported cell, read once per JVM per file content and normalisation. The file is the
     * float baseline as it is: nothing is trained, so model_seed and the recipe do not apply.
     *
     * @throws BadInputException if the file is not where the driver found it, no longer has the content the cell
     *                           names, or does not take the dataset's images
     */
    private Loaded imported(CellSpec spec, Dataset data, RunContext context) throws IOException {
        Map<String, Object> source = spec.modelSource();
        if (!"onnx".equals(source.get("format")) || !(source.get("sha256") instanceof String sha)) {
            throw new BadInputException("cell " + spec.cellId().substring(0, 12) + ": model_source " + source
                    + " is not {format: onnx, sha256: ...}");
        }
        float[] mean = floats(source.get("mean"));
        float[] std = floats(source.get("std"));
        String key = "onnx-" + sha + (mean == null ? "" : "-" + Arrays.toString(mean) + Arrays.toString(std));
        try {
            return loaded.computeIfAbsent(key, k -> {
                Path file = Path.of(context.inputFile(sha));
                byte[] bytes;
                try {
                    bytes = Files.readAllBytes(file);
                } catch (IOException e) {
                    throw new UncheckedIOException(new IOException("model " + spec.model() + ": cannot read "
                            + file + " (" + e.getMessage() + ")", e));
                }
                String got = Sha256.of(bytes);
                if (!got.equals(sha)) {
                    throw new BadInputException("model " + spec.model() + ": " + file + " has SHA-256 " + got
                            + " but the sweep hashed " + sha + " when it started; the file changed during the run");
                }
                ImportedNetwork net = OnnxImporter.read(bytes, file.toString(), mean, std);
                net.requireInputShape(data.channels(), data.height(), data.width(), data.name());
                if (net.classes() != data.classes()) {
                    throw new BadInputException(file + ": the network has " + net.classes() + " outputs but dataset "
                            + data.name() + " has " + data.classes() + " classes");
                }
                Map<String, String> provenance = new LinkedHashMap<>();
                provenance.put("onnx_path", file.toString());
                provenance.put("onnx_sha256", sha);
                provenance.put("onnx_producer", net.producer());
                provenance.put("onnx_opset", String.valueOf(net.opset()));
                return new Loaded(net.network(), k, provenance);
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** A JSON list of numbers as floats, or null when absent. */
    private static float[] floats(Object list) {
        if (list == null) {
            return null;
        }
        List<?> values = (List<?>) list;
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = ((Number) values.get(i)).floatValue();
        }
        return out;
    }

    private static Network train(CellSpec spec, Dataset data, Engine engine) {
        RecipeOptions recipe = Catalog.RECIPE.read(spec.recipe());
        int subset = recipe.trainSubset();
        Dataset train = subset > 0 && subset < data.trainSize() ? data.subset(subset, data.testSize()) : data;
        int[] all = new int[train.trainSize()];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
        }
        TrainConfig cfg = new TrainConfig(recipe.epochs(), recipe.batch(), recipe.lr(), OptimizerKind.ADAM);
        Network net = ModelZoo.build(spec.model(), data.shape(), spec.modelSeed()).bind(engine);
        Trainer.train(net, train.trainBatch(all), train.trainLabels(all), cfg, spec.modelSeed(), EpochListener.NONE);
        return net;
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }
}
