package org.ternsweep.methods;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.ternsweep.catalog.Catalog;
import org.ternsweep.core.LayerDiagnostics;
import org.ternsweep.data.Dataset;
import org.ternsweep.data.DatasetLoader;
import org.ternsweep.data.DatasetSpec;
import org.ternsweep.engine.Activation;
import org.ternsweep.engine.Conv2d;
import org.ternsweep.engine.Dense;
import org.ternsweep.engine.Flatten;
import org.ternsweep.engine.GlobalAvgPool;
import org.ternsweep.engine.MaxPool2d;
import org.ternsweep.engine.Network;
import org.ternsweep.engine.ReLU;
import org.ternsweep.engine.ResidualBlock;
import org.ternsweep.engine.SequentialStage;
import org.ternsweep.engine.Tensor;
import org.ternsweep.engine.WeightLayer;
import org.ternsweep.models.Nd4jArrays;
import org.ternsweep.quant.Granularity;
import org.ternsweep.quant.LayerScheme;
import org.ternsweep.runner.Registry;

/** adaround and brecq end to end on a small network with real Fashion-MNIST calibration images. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PtqMethodsTest {
    private static final Path FASHION = Path.of("/usr/share/datasets/fashion-mnist");
    private Dataset data;

    @BeforeAll
    void load() throws Exception {
        assumeTrue(Files.isRegularFile(FASHION.resolve("train-images-idx3-ubyte.gz")),
                "Fashion-MNIST not installed (sudo apt-get install dataset-fashion-mnist)");
        data = DatasetLoader.load(DatasetSpec.FASHION_MNIST, FASHION).subset(2000, 10);
    }

    /** conv 1→4 · ReLU · pool | residual block 4→8 stride 2 | GAP · dense 8→10, random weights. */
    static Network network(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Conv2d c = new Conv2d("conv1", 1, 4, 3, 1, 1, true, Activation.RELU);
        ResidualBlock b = ResidualBlock.create("block1", 4, 8, 2);
        Dense d = new Dense("fc", 8, 10, true, Activation.IDENTITY);
        Network net = new Network("tiny", List.of(
                new SequentialStage("stage1", List.of(c, new ReLU("relu1"), new MaxPool2d("pool1"))),
                b,
                new SequentialStage("head", List.of(new GlobalAvgPool("gap"), d))));
        for (WeightLayer l : net.weightLayers()) {
            int n = (int) l.weight().length();
            long fanIn = n / l.weight().shape()[l.outputAxis()];
            float[] w = new float[n];
            for (int i = 0; i < n; i++) {
                w[i] = (float) (r.nextGaussian() * Math.sqrt(2.0 / fanIn));
            }
            l.weight().setValue(w);
        }
        return net.bind(TestEngines.ENGINE);
    }

    private static Map<String, Object> options(String loss) {
        Map<String, Object> o = new HashMap<>(Map.of("iterations", 30, "batch", 16, "calibration", 64, "lr", 1e-2));
        if (loss != null) {
            o.put("loss", loss);
        }
        return o;
    }

    private MethodInput input(Network net, String op, LayerScheme firstLast, long seed) {
        QuantPlan plan = new QuantPlan(Registry.operator(op, Map.of()), Granularity.PER_CHANNEL, firstLast);
        return new MethodInput(net, plan, data, seed);
    }

    @ParameterizedTest
    @CsvSource({"adaround, mquant, int8, ", "adaround, native, ternary, ", "brecq, tquant, int8, mse",
            "brecq, mquant, fp, fisher"})
    void quantizesEveryLayerByItsSchemeAndLeavesTheInputAlone(String method, String op, String firstLast, String loss) {
        Network net = network(1);
        float[] before = net.weightLayers().get(1).weight().valueFloats().clone();
        QuantizationMethod m = Registry.method(method, options(loss));
        assertEquals(method, m.name());
        MethodOutcome out = m.quantize(input(net, op, LayerScheme.fromName(firstLast), 3));
        assertArrayEquals(before, net.weightLayers().get(1).weight().valueFloats());
        List<LayerDiagnostics> diags = out.layers();
        List<WeightLayer> layers = out.network().weightLayers();
        assertEquals(layers.size(), diags.size());
        for (int i = 0; i < layers.size(); i++) {
            assertEquals(layers.get(i).name(), diags.get(i).layer());
            String expected = i == 0 || i == layers.size() - 1 ? firstLast : "ternary";
            assertEquals(expected, diags.get(i).scheme(), layers.get(i).name());
            if (expected.equals("ternary")) {
                // every weight is 0 or ±λ of its output channel
                WeightLayer l = layers.get(i);
                float[] q = l.weight().valueFloats();
                int axis = l.outputAxis();
                int[] shape = l.weight().shape();
                int inner = 1;
                for (int d = axis + 1; d < shape.length; d++) {
                    inner *= (int) shape[d];
                }
                int groups = (int) shape[axis];
                float[] level = new float[groups];
                for (int k = 0; k < q.length; k++) {
                    int g = (k / inner) % groups;
                    float a = Math.abs(q[k]);
                    if (a != 0) {
                        assertTrue(level[g] == 0 || level[g] == a, l.name() + " group " + g + " has two levels");
                        level[g] = a;
                    }
                }
                assertTrue(Double.isFinite(diags.get(i).relMse()));
            }
        }
        assertTrue(!out.network().hasBatchNorm());
    }

    @ParameterizedTest
    @CsvSource({"adaround", "brecq"})
    void sameSeedSameNetworkAndItsOutputIsCloserToFloatThanDataFree(String method) {
        Network net = network(2);
        MethodInput in = input(net, "tquant", LayerScheme.INT8, 5);
        Map<String, Object> longer = options(method.equals("brecq") ? "mse" : null);
        // Enough steps and a regulariser strong enough, relative to this block's loss (~40 per image), for the
        // annealing to decide most h(V): with 300 steps at reg 0.01 only a quarter are decided and the hard
        // rounding of the soft optimum is worse than data-free.
        longer.put("iterations", 1000);
        longer.put("reg", 1.0);
        Network a = Registry.method(method, longer).quantize(in).network();
        Network b = Registry.method(method, longer).quantize(in).network();
        for (int i = 0; i < a.weightLayers().size(); i++) {
            assertArrayEquals(a.weightLayers().get(i).weight().valueFloats(),
                    b.weightLayers().get(i).weight().valueFloats());
        }
        Network dataFree = new DataFreeMethod(Catalog.DATA_FREE.defaults()).quantize(new MethodInput(net, in.plan(),
                data, 5)).network();
        Network ref = net.copy().foldBatchNorm();
        Tensor x = Nd4jArrays.tensor(data.trainBatch(org.ternsweep.data.Calibration.sample(data, 5, 64)));
        // compared at the residual block's output, the last output either method optimises (the head is int8)
        double errPtq = mse(upToBlock(a, x), upToBlock(ref, x));
        double errFree = mse(upToBlock(dataFree, x), upToBlock(ref, x));
        assertTrue(errPtq < errFree, method + " block output error " + errPtq + " vs data-free " + errFree);
    }

    private static Tensor upToBlock(Network n, Tensor x) {
        return n.stages().get(1).forward(n.stages().get(0).forward(x, false), false);
    }

    private static double mse(Tensor a, Tensor b) {
        double s = 0;
        for (int i = 0; i < a.size(); i++) {
            double d = a.data()[i] - b.data()[i];
            s += d * d;
        }
        return s / a.size();
    }
}
