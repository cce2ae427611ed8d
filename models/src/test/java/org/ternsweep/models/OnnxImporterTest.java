package org.ternsweep.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import onnx.Onnx;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.ternsweep.core.BadInputException;
import org.ternsweep.core.Sha256;
import org.ternsweep.engine.Engine;
import org.ternsweep.engine.GemmConv;
import org.ternsweep.engine.GraphStage;
import org.ternsweep.engine.Network;
import org.ternsweep.engine.SequentialStage;
import org.ternsweep.engine.Stage;
import org.ternsweep.engine.Tensor;
import org.ternsweep.models.onnx.ImportedNetwork;
import org.ternsweep.models.onnx.OnnxImporter;

/**
 * The ONNX importer on the fixtures in nets/ (real networks exported by PyTorch, see nets/README.md), against
 * ONNX Runtime (Java) evaluating the same file on the same 10 000 Fashion-MNIST test images, and against
 * PyTorch's own accuracy and predictions recorded in nets/fixtures.json; and its refusals.
 */
class OnnxImporterTest {
    /** The repository's nets/ folder (tests run in the module's folder). */
    static final Path NETS = Path.of("..", "nets");
    /** Logits agree to this, relative to the larger of 1 and the image's largest logit magnitude. */
    private static final double LOGIT_TOLERANCE = 1e-4;
    private static final int BATCH = 500;

    static JsonNode fixtures() throws IOException {
        return new ObjectMapper().readTree(NETS.resolve("fixtures.json").toFile()).get("fixtures");
    }

    /** Every fixture fixtures.json lists (each must be committed beside it). */
    static List<String> fixtureNames() throws IOException {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = fixtures().fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }

    private static float[] values(JsonNode norm, String key) {
        JsonNode a = norm.get(key);
        float[] v = new float[a.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) a.get(i).asDouble();
        }
        return v;
    }

    /** Whether the caller normalises (mean/std given with the file) rather than the graph or nobody. */
    private static boolean callerNormalises(JsonNode entry) {
        return entry.get("normalisation").get("where").asText().startsWith("caller");
    }

    private static int argmax(float[] v, int from, int n) {
        int best = 0;
        for (int j = 1; j < n; j++) {
            if (v[from + j] > v[from + best]) {
                best = j;
            }
        }
        return best;
    }

    /** Whether the top two logits of an image are within the tolerance of each other (a tie). */
    private static boolean nearTie(float[] v, int from, int n) {
        int best = argmax(v, from, n);
        float scale = 1f;
        float second = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < n; j++) {
            scale = Math.max(scale, Math.abs(v[from + j]));
            if (j != best) {
                second = Math.max(second, v[from + j]);
            }
        }
        return v[from + best] - second <= 2 * LOGIT_TOLERANCE * scale;
    }

    private static float[] engineLogits(Network net, Tensor images) {
        int n = images.dim(0);
        float[] out = null;
        int classes = 0;
        for (int i = 0; i < n; i += BATCH) {
            float[] y = net.forward(images.slice(i, Math.min(n, i + BATCH)), false).data();
            if (out == null) {
                classes = y.length / Math.min(BATCH, n);
                out = new float[n * classes];
            }
            System.arraycopy(y, 0, out, i * classes, y.length);
        }
        return out;
    }

    private static float[] ortLogits(Path file, Tensor images, float[] mean, float[] std) throws OrtException,
            IOException {
        int n = images.dim(0);
        int per = images.size() / n;
        float[] x = images.data().clone();
        if (mean != null) {
            for (int i = 0; i < x.length; i++) {
                x[i] = (x[i] - mean[0]) / std[0];
            }
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
            opts.setIntraOpNumThreads(2);
            try (OrtSession session = env.createSession(Files.readAllBytes(file), opts)) {
                String input = session.getInputNames().iterator().next();
                float[] out = null;
                for (int i = 0; i < n; i += BATCH) {
                    int cnt = Math.min(BATCH, n - i);
                    FloatBuffer buf = FloatBuffer.wrap(x, i * per, cnt * per).slice();
                    try (OnnxTensor t = OnnxTensor.createTensor(env, buf, new long[] {cnt, images.dim(1),
                            images.dim(2), images.dim(3)}); OrtSession.Result r = session.run(Map.of(input, t))) {
                        float[][] y = (float[][]) r.get(0).getValue();
                        if (out == null) {
                            out = new float[n * y[0].length];
                        }
                        for (int j = 0; j < cnt; j++) {
                            System.arraycopy(y[j], 0, out, (i + j) * y[j].length, y[j].length);
                        }
                    }
                }
                return out;
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtureNames")
    void fixtureMatchesOnnxRuntimeAndPyTorch(String name) throws Exception {
        JsonNode entry = fixtures().get(name);
        Path file = NETS.resolve(Path.of(entry.get("file").asText()).getFileName());
        assertEquals(entry.get("sha256").asText(), Sha256.of(file), file + " is not the file fixtures.json"
                + " describes");
        float[] mean = callerNormalises(entry) ? values(entry.get("normalisation"), "mean") : null;
        float[] std = callerNormalises(entry) ? values(entry.get("normalisation"), "std") : null;
        ImportedNetwork imported = OnnxImporter.read(file, mean, std);
        assertEquals(entry.get("sha256").asText(), imported.sha256());
        assertEquals(entry.get("opset").asInt(), imported.opset());
        assertEquals(entry.get("producer").asText(), imported.producer());
        assertArrayEquals(new int[] {1, 28, 28}, imported.inputShape());
        assertEquals(10, imported.classes());
        Network net = imported.network().bind(TestEngines.ENGINE);

        FashionMnistSample test = FashionMnistSample.load("t10k", 10_000);
        int n = test.labels.length;
        float[] engine = engineLogits(net, test.images);
        float[] ort = ortLogits(file, test.images, mean, std);
        assertEquals(ort.length, engine.length);
        int classes = ort.length / n;
        double worst = 0;
        int engineCorrect = 0;
        int ortCorrect = 0;
        int ties = 0;
        String torchPredictions = entry.get("torch_test_predictions").asText();
        for (int i = 0; i < n; i++) {
            int from = i * classes;
            double scale = 1;
            for (int j = 0; j < classes; j++) {
                scale = Math.max(scale, Math.abs(ort[from + j]));
            }
            for (int j = 0; j < classes; j++) {
                worst = Math.max(worst, Math.abs(engine[from + j] - ort[from + j]) / scale);
            }
            int e = argmax(engine, from, classes);
            int o = argmax(ort, from, classes);
            boolean tie = nearTie(ort, from, classes);
            ties += tie ? 1 : 0;
            if (!tie) {
                assertEquals(o, e, name + ": image " + i + " predicted differently by the engine and ONNX Runtime");
                assertEquals(torchPredictions.charAt(i) - '0', e, name + ": image " + i
                        + " predicted differently by the engine and PyTorch");
            }
            engineCorrect += e == test.labels[i] ? 1 : 0;
            ortCorrect += o == test.labels[i] ? 1 : 0;
        }
        assertTrue(worst <= LOGIT_TOLERANCE, name + ": logits differ from ONNX Runtime's by " + worst
                + " relative");
        assertTrue(Math.abs(engineCorrect - ortCorrect) <= ties, name + ": engine " + engineCorrect
                + " correct, ONNX Runtime " + ortCorrect + ", ties " + ties);
        assertTrue(Math.abs(engineCorrect - entry.get("torch_test_correct").asInt()) <= ties, name + ": engine "
                + engineCorrect + " correct, PyTorch " + entry.get("torch_test_correct").asInt() + ", ties " + ties);
        JsonNode refLogits = entry.get("torch_reference_logits").get("logits");
        for (int i = 0; i < refLogits.size(); i++) {
            for (int j = 0; j < classes; j++) {
                double t = refLogits.get(i).get(j).asDouble();
                assertEquals(t, engine[i * classes + j], 1e-4 * Math.max(1, Math.abs(t)), name + " logit " + i
                        + "," + j + " against PyTorch's");
            }
        }
        System.out.printf("%s: engine accuracy %.4f, ONNX Runtime %.4f, PyTorch %.4f, worst relative logit"
                + " difference %.2e, near-ties %d%n", name, engineCorrect / (double) n, ortCorrect / (double) n,
                entry.get("torch_test_accuracy").asDouble(), worst, ties);
    }

    /**
     * The stages the methods see (BrecQ's blocks): ResNet-20's nine residual blocks are graph stages of two convs
     * (three with a projection shortcut) and its stem and classifier sequential stages; VGG and MobileNet, which
     * have no fork, are one sequential stage per weight layer.
     */
    @Test
    void importedGraphsAreCutIntoResidualBlocksAndOneStagePerOtherWeightLayer() throws IOException {
        JsonNode resnet = fixtures().get("resnet20");
        Network net = OnnxImporter.read(NETS.resolve("resnet20.onnx"), values(resnet.get("normalisation"), "mean"),
                values(resnet.get("normalisation"), "std")).network();
        List<String> kinds = new ArrayList<>();
        for (Stage s : net.stages()) {
            kinds.add((s instanceof GraphStage ? "block" : "layer") + s.weightLayers().size());
        }
        assertEquals(List.of("layer1", "block2", "block2", "block2", "block3", "block2", "block2", "block3", "block2",
                "block2", "layer1"), kinds);
        for (String name : List.of("vgg", "mobilenet")) {
            Network n = OnnxImporter.read(NETS.resolve(name + ".onnx"), null, null).network();
            assertEquals(n.weightLayers().size(), n.stages().size(), name);
            assertTrue(n.stages().stream().allMatch(s -> s instanceof SequentialStage && s.weightLayers().size() == 1),
                    name);
        }
    }

    @Test
    void foldingBatchNormAndTheGemmBackendKeepTheLogits() throws IOException {
        Network vgg = OnnxImporter.read(NETS.resolve("vgg.onnx"), null, null).network().bind(TestEngines.ENGINE);
        assertTrue(vgg.hasBatchNorm(), "vgg.onnx keeps its BatchNormalization nodes");
        Tensor images = FashionMnistSample.load("t10k", 200).images;
        float[] reference = vgg.forward(images, false).data();
        Network folded = vgg.copy().foldBatchNorm();
        assertTrue(!folded.hasBatchNorm());
        try (Engine gemm = Nd4jEngines.create(1, GemmConv.NAME)) {
            float[] y = folded.bind(gemm).forward(images, false).data();
            for (int i = 0; i < y.length; i++) {
                assertEquals(reference[i], y[i], LOGIT_TOLERANCE * Math.max(1, Math.abs(reference[i])), "logit " + i);
            }
        }
    }

    @Test
    void inputShapeMismatchNamesBothShapes() throws IOException {
        ImportedNetwork vgg = OnnxImporter.read(NETS.resolve("vgg.onnx"), null, null);
        BadInputException e = assertThrows(BadInputException.class,
                () -> vgg.requireInputShape(3, 32, 32, "cifar10"));
        assertTrue(e.getMessage().contains("[1, 28, 28]") && e.getMessage().contains("[3, 32, 32]")
                && e.getMessage().contains("cifar10"), e.getMessage());
        vgg.requireInputShape(1, 28, 28, "fashion-mnist");
    }

    // ---------------------------------------------------------------- small hand-built models for the refusals

    private static Onnx.TensorProto floats(String name, float[] v, long... dims) {
        Onnx.TensorProto.Builder t = Onnx.TensorProto.newBuilder().setName(name)
                .setDataType(Onnx.TensorProto.DataType.FLOAT_VALUE);
        for (long d : dims) {
            t.addDims(d);
        }
        for (float f : v) {
            t.addFloatData(f);
        }
        return t.build();
    }

    private static Onnx.ValueInfoProto value(String name, long... dims) {
        Onnx.TensorShapeProto.Builder shape = Onnx.TensorShapeProto.newBuilder();
        for (long d : dims) {
            shape.addDim(d < 0 ? Onnx.TensorShapeProto.Dimension.newBuilder().setDimParam("N")
                    : Onnx.TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        return Onnx.ValueInfoProto.newBuilder().setName(name).setType(Onnx.TypeProto.newBuilder().setTensorType(
                Onnx.TypeProto.Tensor.newBuilder().setElemType(Onnx.TensorProto.DataType.FLOAT_VALUE)
                        .setShape(shape))).build();
    }

    private static Onnx.NodeProto node(String name, String op, List<String> inputs, String output,
                                       Onnx.AttributeProto... attrs) {
        Onnx.NodeProto.Builder b = Onnx.NodeProto.newBuilder().setName(name).setOpType(op).addAllInput(inputs)
                .addOutput(output);
        for (Onnx.AttributeProto a : attrs) {
            b.addAttribute(a);
        }
        return b.build();
    }

    /** input [N,1,4,4] → conv 1→2 (1×1, weight "w") → middle nodes → GlobalAveragePool → output [N, 2]. */
    private static byte[] model(int opset, List<Onnx.NodeProto> middle, String last, List<Onnx.TensorProto> extra) {
        Onnx.GraphProto.Builder g = Onnx.GraphProto.newBuilder().setName("g")
                .addInput(value("x", -1, 1, 4, 4))
                .addOutput(value("y", -1, 2))
                .addInitializer(floats("w", new float[] {1f, -1f}, 2, 1, 1, 1))
                .addNode(node("conv", "Conv", List.of("x", "w"), "c"))
                .addAllNode(middle)
                .addNode(node("gap", "GlobalAveragePool", List.of(last), "y"))
                .addAllInitializer(extra);
        return Onnx.ModelProto.newBuilder().setIrVersion(8).setProducerName("test").setGraph(g)
                .addOpsetImport(Onnx.OperatorSetIdProto.newBuilder().setDomain("").setVersion(opset)).build()
                .toByteArray();
    }

    @Test
    void aSmallHandBuiltModelImports() {
        ImportedNetwork m = OnnxImporter.read(model(13, List.of(node("relu", "Relu", List.of("c"), "r")), "r",
                List.of()), "small.onnx", null, null);
        Network net = m.network().bind(TestEngines.ENGINE);
        float[] x = new float[32];
        for (int i = 0; i < 16; i++) {
            x[i] = i - 5;
            x[16 + i] = 1;
        }
        float[] y = net.forward(new Tensor(x, 2, 1, 4, 4), false).data();
        // channel 0 = relu(x), channel 1 = relu(-x), averaged over the 16 pixels
        assertArrayEquals(new float[] {(1 + 2 + 3 + 4 + 5 + 6 + 7 + 8 + 9 + 10) / 16f, 15f / 16f, 1f, 0f}, y, 1e-6f);
        assertEquals(2, m.classes());
    }

    @Test
    void anUnsupportedOpIsRefusedNamingNodeOpAndTheSupportedList() {
        byte[] bytes = model(13, List.of(node("squash", "Sigmoid", List.of("c"), "s")), "s", List.of());
        BadInputException e = assertThrows(BadInputException.class,
                () -> OnnxImporter.read(bytes, "net.onnx", null, null));
        assertTrue(e.getMessage().startsWith("net.onnx: node squash (Sigmoid): op type Sigmoid is not supported;"
                + " supported: [Add, AveragePool,"), e.getMessage());
    }

    @Test
    void opsetsOutsideElevenToSeventeenAreRefused() {
        for (int opset : new int[] {10, 18}) {
            byte[] bytes = model(opset, List.of(), "c", List.of());
            BadInputException e = assertThrows(BadInputException.class,
                    () -> OnnxImporter.read(bytes, "net.onnx", null, null));
            assertTrue(e.getMessage().contains("imports opset " + opset + "; supported are opsets 11 to 17"),
                    e.getMessage());
        }
        OnnxImporter.read(model(11, List.of(), "c", List.of()), "net.onnx", null, null);
        OnnxImporter.read(model(17, List.of(), "c", List.of()), "net.onnx", null, null);
    }

    @Test
    void sharedWeightsAreRefused() {
        byte[] bytes = model(13, List.of(node("conv2", "Conv", List.of("c", "w2"), "c2"),
                node("conv3", "Conv", List.of("c2", "w2"), "c3")), "c3",
                List.of(floats("w2", new float[] {1f, 0f, 0f, 1f}, 2, 2, 1, 1)));
        BadInputException e = assertThrows(BadInputException.class,
                () -> OnnxImporter.read(bytes, "net.onnx", null, null));
        assertTrue(e.getMessage().contains("node conv3 (Conv): its weight w2 is also used by node conv2"),
                e.getMessage());
    }

    @Test
    void unsupportedAttributesAreRefusedNamingTheNode() {
        Onnx.AttributeProto k3 = Onnx.AttributeProto.newBuilder().setName("kernel_shape").addInts(3).addInts(3)
                .setType(Onnx.AttributeProto.AttributeType.INTS).build();
        byte[] bytes = model(13, List.of(node("pool", "MaxPool", List.of("c"), "p", k3)), "p", List.of());
        BadInputException e = assertThrows(BadInputException.class,
                () -> OnnxImporter.read(bytes, "net.onnx", null, null));
        assertTrue(e.getMessage().contains("node pool (MaxPool): kernel [3, 3]"), e.getMessage());
    }

    @Test
    void notAnOnnxFileIsRefused() {
        BadInputException e = assertThrows(BadInputException.class,
                () -> OnnxImporter.read(new byte[] {1, 2, 3, 4, 5}, "junk.onnx", null, null));
        assertTrue(e.getMessage().startsWith("junk.onnx is not an ONNX model"), e.getMessage());
    }
}
