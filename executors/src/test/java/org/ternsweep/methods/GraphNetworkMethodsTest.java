package org.ternsweep.methods;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.ternsweep.data.Dataset;
import org.ternsweep.data.DatasetLoader;
import org.ternsweep.data.DatasetSpec;
import org.ternsweep.engine.BatchNorm2d;
import org.ternsweep.engine.GraphPartition;
import org.ternsweep.engine.GraphStage;
import org.ternsweep.engine.Layer;
import org.ternsweep.engine.Network;
import org.ternsweep.engine.Param;
import org.ternsweep.engine.ReLU;
import org.ternsweep.engine.ResidualBlock;
import org.ternsweep.engine.Stage;
import org.ternsweep.engine.WeightLayer;
import org.ternsweep.models.ModelZoo;
import org.ternsweep.quant.Granularity;
import org.ternsweep.quant.LayerScheme;
import org.ternsweep.runner.Registry;

/**
 * An imported network reaches the methods as a graph, cut into stages by {@link GraphPartition}; the zoo builds its
 * stages by hand. Written as one graph of the same layers, resnet-8 must be treated exactly as the zoo's own
 * resnet-8: the same BrecQ blocks, the same layers eligible for bias correction with the same BatchNorms, the same
 * equalization pairs, the same BatchNorms folded — and every method must produce bitwise the same quantized
 * network. This checks every graph rule against the zoo's rules, which were checked against PyTorch earlier.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GraphNetworkMethodsTest {
    private static final Path FASHION = Path.of("/usr/share/datasets/fashion-mnist");
    private Dataset data;

    @BeforeAll
    void load() throws Exception {
        assumeTrue(Files.isRegularFile(FASHION.resolve("train-images-idx3-ubyte.gz")),
                "Fashion-MNIST not installed (sudo apt-get install dataset-fashion-mnist)");
        data = DatasetLoader.load(DatasetSpec.FASHION_MNIST, FASHION).subset(600, 10);
    }

    /** resnet-8 from the zoo, with BatchNorm statistics that make folding and bias correction do something. */
    private static Network zooResnet() {
        Network net = ModelZoo.build(ModelZoo.RESNET_8, 3);
        SplittableRandom r = new SplittableRandom(17);
        for (Layer l : net.layers()) {
            if (l instanceof BatchNorm2d bn) {
                float[] gamma = new float[bn.channels()];
                float[] beta = new float[bn.channels()];
                for (int c = 0; c < gamma.length; c++) {
                    gamma[c] = (float) r.nextDouble(0.5, 2);
                    beta[c] = (float) r.nextDouble(-0.5, 0.5);
                    bn.runningMean()[c] = (float) r.nextDouble(-0.2, 0.2);
                    bn.runningVar()[c] = (float) r.nextDouble(0.5, 2);
                }
                bn.gamma().setValue(gamma);
                bn.beta().setValue(beta);
            }
        }
        return net.bind(TestEngines.ENGINE);
    }

    /**
     * The same network as one flat graph, the way the ONNX importer writes resnet-8's export (copies of the layers,
     * so the two never share a cache), cut into stages by {@link GraphPartition}.
     */
    private static Network asGraph(Network zoo) {
        List<GraphStage.Node> nodes = new ArrayList<>();
        String t = "input";
        int n = 0;
        for (Stage s : zoo.stages()) {
            if (s instanceof ResidualBlock b) {
                String in = t;
                String a = b.name() + ".a";
                nodes.add(GraphStage.Node.layer(a + "1", b.conv1().copy(), in));
                nodes.add(GraphStage.Node.layer(a + "2", b.bn1().copy(), a + "1"));
                nodes.add(GraphStage.Node.layer(a + "3", new ReLU(b.name() + ".relu1"), a + "2"));
                nodes.add(GraphStage.Node.layer(a + "4", b.conv2().copy(), a + "3"));
                nodes.add(GraphStage.Node.layer(a + "5", b.bn2().copy(), a + "4"));
                String shortcut = in;
                if (b.shortcut() != null) {
                    nodes.add(GraphStage.Node.layer(b.name() + ".s1", b.shortcut().copy(), in));
                    nodes.add(GraphStage.Node.layer(b.name() + ".s2", b.shortcutBn().copy(), b.name() + ".s1"));
                    shortcut = b.name() + ".s2";
                }
                nodes.add(GraphStage.Node.add(b.name() + ".sum", a + "5", shortcut));
                nodes.add(GraphStage.Node.layer(b.name() + ".out", new ReLU(b.name() + ".relu"), b.name() + ".sum"));
                t = b.name() + ".out";
            } else {
                for (Layer l : s.layers()) {
                    String out = "t" + n++;
                    nodes.add(GraphStage.Node.layer(out, l.copy(), t));
                    t = out;
                }
            }
        }
        return new Network(zoo.architecture(), GraphPartition.stages(new GraphStage("graph", "input", t, nodes)))
                .bind(TestEngines.ENGINE);
    }

    private static List<List<String>> weightLayersByStage(Network net) {
        List<List<String>> out = new ArrayList<>();
        for (Stage s : net.stages()) {
            out.add(s.weightLayers().stream().map(WeightLayer::name).toList());
        }
        return out;
    }

    private static Map<String, String> names(Map<? extends Layer, ? extends Layer> m) {
        Map<String, String> out = new TreeMap<>();
        m.forEach((k, v) -> out.put(k.name(), v.name()));
        return out;
    }

    @Test
    void theGraphIsCutIntoTheZoosStagesAndEveryRuleFindsWhatItFindsInTheZoo() {
        Network zoo = zooResnet();
        Network graph = asGraph(zoo);
        assertEquals(weightLayersByStage(zoo), weightLayersByStage(graph), "BrecQ's blocks");
        for (int s = 1; s <= 3; s++) {
            assertInstanceOf(GraphStage.class, graph.stages().get(s), "a residual block is one graph stage");
        }

        Map<String, String> eligible = new TreeMap<>();
        BiasCorrection.eligible(zoo).forEach((k, v) -> eligible.put(k, v.name()));
        Map<String, String> graphEligible = new TreeMap<>();
        BiasCorrection.eligible(graph).forEach((k, v) -> graphEligible.put(k, v.name()));
        assertFalse(eligible.isEmpty());
        assertEquals(eligible, graphEligible, "layers whose input is ReLU(BN), and that BN");

        List<String> pairs = CrossLayerEqualization.pairs(zoo.foldBatchNorm()).stream()
                .map(p -> p.first().name() + ">" + p.second().name()).toList();
        assertFalse(pairs.isEmpty());
        assertEquals(pairs, CrossLayerEqualization.pairs(graph.foldBatchNorm()).stream()
                .map(p -> p.first().name() + ">" + p.second().name()).toList(), "equalization pairs");

        assertEquals(names(QatQuantizer.followingBatchNorms(zoo)), names(QatQuantizer.followingBatchNorms(graph)),
                "the BatchNorm QAT folds into each conv");
        assertEquals(LayerOutputs.foldedLayers(zoo), LayerOutputs.foldedLayers(graph), "BN-folded layers");
    }

    private static Map<String, Object> options(String... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            String v = kv[i + 1];
            m.put(kv[i], v.matches("-?\\d+") ? Integer.valueOf(v) : v.matches("-?[\\d.]+") ? Double.valueOf(v)
                    : v.equals("true") || v.equals("false") ? Boolean.valueOf(v) : v);
        }
        return m;
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "data-free | mquant | per-channel | ",
        "data-free | tquant | per-tensor  | bias_correction=true",
        "data-free | mquant | per-channel | cle=true,bias_correction=true",
        "data-free | native | per-channel | bias_correction=empirical,bn_reestimation=true,calibration=64",
        "adaround  | tquant | per-channel | iterations=15,calibration=64,bn_reestimation=true",
        "brecq     | mquant | per-tensor  | iterations=15,calibration=64,loss=fisher",
        "qat       | tquant | per-channel | epochs=0.1"})
    void everyMethodQuantizesTheGraphBitwiseAsTheZooNetwork(String method, String op, String granularity,
                                                             String given) {
        List<String> kv = new ArrayList<>();
        if (given != null) {
            for (String pair : given.split(",")) {
                kv.addAll(List.of(pair.split("=")));
            }
        }
        Map<String, Object> opts = options(kv.toArray(new String[0]));
        Network zoo = zooResnet();
        Network graph = asGraph(zoo);
        QuantPlan plan = new QuantPlan(Registry.operator(op, Map.of()), Granularity.fromName(granularity),
                LayerScheme.INT8);
        Network a = Registry.method(method, opts).quantize(new MethodInput(zoo, plan, data, 4)).network();
        Network b = Registry.method(method, opts).quantize(new MethodInput(graph, plan, data, 4)).network();
        List<Param> pa = a.params();
        List<Param> pb = b.params();
        assertEquals(pa.stream().map(Param::name).toList(), pb.stream().map(Param::name).toList());
        for (int i = 0; i < pa.size(); i++) {
            assertArrayEquals(pa.get(i).valueFloats(), pb.get(i).valueFloats(), 0f, pa.get(i).name());
        }
    }
}
