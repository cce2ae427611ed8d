package org.ternsweep.runner;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.ternsweep.catalog.Catalog;
import org.ternsweep.catalog.RecipeOptions;
import org.ternsweep.core.CellSpec;
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

/**
 * Float baselines for cells: looked up in the content-addressed {@link ModelCache}, trained with the
 * spec's recipe when missing (spec §7: deterministic given architecture, dataset, recipe and
 * model_seed), and kept loaded for the life of the executor JVM. Callers get the shared network, not
 * bound to any engine: they run a copy bound to their own.
 */
final class FloatModels {
    /** A loaded float model and the cache key it came from. */
    record Loaded(Network network, String cacheKey, double floatAccuracy) {
    }

    private final ModelCache cache;
    private final Map<String, Loaded> loaded = new ConcurrentHashMap<>();

    FloatModels(Path cacheRoot) {
        this.cache = new ModelCache(cacheRoot);
    }

    /** The float model of {@code spec}, trained on {@code engine} when it is not in the cache. */
    Loaded get(CellSpec spec, Dataset data, Engine engine) throws IOException {
        ModelCacheKey key = new ModelCacheKey(spec.model(), data.sha256(), spec.recipe(), spec.modelSeed());
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
                    return new Loaded(entry.network(), id, entry.floatAccuracy());
                } catch (IOException e) {
                    throw new UncheckedIOException("float model " + spec.model() + " (cache key " + id + "): " + e.getMessage(), e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
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
        Network net = ModelZoo.build(spec.model(), spec.modelSeed()).bind(engine);
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
