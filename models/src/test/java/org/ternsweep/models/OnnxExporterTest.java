package org.ternsweep.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import onnx.Onnx;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.ternsweep.engine.Activation;
import org.ternsweep.engine.AvgPool2d;
import org.ternsweep.engine.ChannelAffine;
import org.ternsweep.engine.Clip;
import org.ternsweep.engine.Conv2d;
import org.ternsweep.engine.Dense;
import org.ternsweep.engine.Flatten;
import org.ternsweep.engine.GlobalAvgPool;
import org.ternsweep.engine.Layer;
import org.ternsweep.engine.MaxPool2d;
import org.ternsweep.engine.Network;
import org.ternsweep.engine.Param;
import org.ternsweep.engine.ReLU;
import org.ternsweep.engine.SequentialStage;
import org.ternsweep.engine.Tensor;
import org.ternsweep.models.onnx.OnnxExporter;
import org.ternsweep.models.onnx.OnnxImporter;

/**
 * The ONNX exporter against ONNX Runtime: every network the engine runs (the zoo's sequential and residual
 * networks, imported DAGs, and a hand-built one with every other layer kind) gives the same logits in ONNX
 * Runtime from the exported file as in the engine, to 1e-4 relative. The quantized networks of real cells are
 * checked end to end in the driver's ReproduceExportTest.
 */
class OnnxExporterTest {
    private static final double TOLERANCE = 1e-4;

    /** Random images {@code [n, c, h, w]} in [0, 1], as the datasets give them. */
    private static Tensor images(int n, int c, int h, int w, long seed) {
        Random r = new Random(seed);
        float[] x = new float[n * c * h * w];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextFloat();
        }
        return new Tensor(x, n, c, h, w);
    }

    /** Fills every parameter with random values (a zoo network starts from zeros in places, e.g. biases). */
    private static void randomise(Network net, long seed) {
        Random r = new Random(seed);
        for (Param p : net.params()) {
            float[] v = p.valueFloats();
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) (r.nextGaussian() * 0.3);
            }
        }
    }

    static float[] ortLogits(byte[] model, Tensor x) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
            opts.setIntraOpNumThreads(2);
            try (OrtSession session = env.createSession(model, opts);
                 OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(x.data()), new long[] {x.dim(0),
                         x.dim(1), x.dim(2), x.dim(3)});
                 OrtSession.Result r = session.run(Map.of(OnnxExporter.INPUT, t))) {
                assertEquals(OnnxExporter.OUTPUT, session.getOutputNames().iterator().next());
                float[][] y = (float[][]) r.get(0).getValue();
                float[] out = new float[y.length * y[0].length];
                for (int i = 0; i < y.length; i++) {
                    System.arraycopy(y[i], 0, out, i * y[i].length, y[i].length);
                }
                return out;
            }
        }
    }

    /** Exports {@code net} and checks ONNX Runtime's logits against the engine's on {@code x}. */
    private static void assertSameLogits(Network net, Tensor x) throws OrtException {
        float[] engine = net.forward(x, false).data();
        byte[] model = OnnxExporter.export(net, new int[] {x.dim(1), x.dim(2), x.dim(3)}, "test", Map.of());
        float[] ort = ortLogits(model, x);
        assertEquals(engine.length, ort.length);
        int classes = engine.length / x.dim(0);
        for (int i = 0; i < x.dim(0); i++) {
            double scale = 1;
            for (int j = 0; j < classes; j++) {
                scale = Math.max(scale, Math.abs(engine[i * classes + j]));
            }
            for (int j = 0; j < classes; j++) {
                int k = i * classes + j;
                assertTrue(Math.abs(engine[k] - ort[k]) <= TOLERANCE * scale, net.architecture() + " image " + i
                        + " logit " + j + ": engine " + engine[k] + ", ONNX Runtime " + ort[k]);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {ModelZoo.CNN_SMALL, ModelZoo.RESNET_8})
    void zooNetworksRunInOnnxRuntimeAsInTheEngine(String architecture) throws OrtException {
        Network net = ModelZoo.build(architecture, 3).bind(TestEngines.ENGINE);
        randomise(net, 4);
        assertSameLogits(net.foldBatchNorm(), images(7, 1, 28, 28, 5));
    }

    static List<String> fixtureNames() throws java.io.IOException {
        return OnnxImporterTest.fixtureNames();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtureNames")
    void importedGraphsRunInOnnxRuntimeAsInTheEngine(String name) throws Exception {
        com.fasterxml.jackson.databind.JsonNode entry = OnnxImporterTest.fixtures().get(name);
        String file = entry.get("file").asText();
        // a normalisation the caller gives becomes the network's first layer (ChannelAffine), exported as Mul, Add
        boolean caller = entry.get("normalisation").get("where").asText().startsWith("caller");
        Network net = OnnxImporter.read(OnnxImporterTest.NETS.resolve(java.nio.file.Path.of(file).getFileName()),
                caller ? new float[] {0.25f} : null, caller ? new float[] {0.5f} : null).network()
                .bind(TestEngines.ENGINE).foldBatchNorm();
        assertSameLogits(net, images(9, 1, 28, 28, 6));
    }

    private static Tensor random(long seed, int... dims) {
        Random r = new Random(seed);
        int n = 1;
        for (int d : dims) {
            n *= d;
        }
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return new Tensor(v, dims);
    }

    /**
     * Normalisation per channel, a depthwise stride-2 conv with bias, ReLU6, padded average pooling on an odd
     * size, a grouped 1×1 conv, ReLU, 2×2 max pooling that drops a row and column, flatten and two dense layers
     * (one without bias), and a clip with one infinite bound.
     */
    private static Network everyLayer() {
        List<Layer> layers = List.of(
                new ChannelAffine("norm", new float[] {2f, 0.5f, 1.5f}, new float[] {-1f, 0.25f, 0f}),
                new Conv2d("dw", random(1, 6, 1, 3, 3), random(2, 6).data(), 2, 1, 3, Activation.RELU),
                Clip.relu6("relu6"),
                new AvgPool2d("avg", 3, 3, 1, 1, 1, 1),
                new Conv2d("pw", random(3, 8, 3, 1, 1), null, 1, 0, 2, Activation.RELU),
                new ReLU("relu"),
                new MaxPool2d("max"),
                new Flatten("flat"),
                new Dense("fc1", random(4, 8 * 3 * 3, 12), random(5, 12).data(), Activation.IDENTITY),
                new Clip("clip", Float.NEGATIVE_INFINITY, 0.5f),
                new Dense("fc2", random(6, 12, 5), null, Activation.IDENTITY));
        return new Network("every-layer", List.of(new SequentialStage("all", layers))).bind(TestEngines.ENGINE);
    }

    @Test
    void everyLayerKindRunsInOnnxRuntimeAsInTheEngine() throws OrtException {
        assertSameLogits(everyLayer(), images(4, 3, 13, 13, 7));
    }

    @Test
    void globalAveragePoolingYieldsOneVectorPerImage() throws OrtException {
        Network net = new Network("gap", List.of(new SequentialStage("s", List.of(
                new Conv2d("c", random(8, 4, 2, 3, 3), random(9, 4).data(), 1, 1, Activation.IDENTITY),
                new GlobalAvgPool("gap"), new Flatten("flat"),
                new Dense("fc", random(10, 4, 3), null, Activation.IDENTITY))))).bind(TestEngines.ENGINE);
        assertSameLogits(net, images(3, 2, 6, 5, 8));
    }

    @Test
    void theModelCarriesOpsetProducerMetadataAndADynamicBatch() throws Exception {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("ternsweep.cell_id", "abc");
        meta.put("ternsweep.spec_json", "{\"x\":1}");
        byte[] bytes = OnnxExporter.export(everyLayer(), new int[] {3, 13, 13}, "1.2.3", meta);
        Onnx.ModelProto m = Onnx.ModelProto.parseFrom(bytes);
        assertEquals(OnnxExporter.IR_VERSION, m.getIrVersion());
        assertEquals(OnnxExporter.OPSET, m.getOpsetImport(0).getVersion());
        assertEquals("ternsweep", m.getProducerName());
        assertEquals("1.2.3", m.getProducerVersion());
        assertEquals(2, m.getMetadataPropsCount());
        assertEquals("ternsweep.cell_id", m.getMetadataProps(0).getKey());
        assertEquals("abc", m.getMetadataProps(0).getValue());
        assertEquals("{\"x\":1}", m.getMetadataProps(1).getValue());
        Onnx.TensorShapeProto in = m.getGraph().getInput(0).getType().getTensorType().getShape();
        assertEquals("N", in.getDim(0).getDimParam());
        assertEquals(List.of(3L, 13L, 13L), List.of(in.getDim(1).getDimValue(), in.getDim(2).getDimValue(),
                in.getDim(3).getDimValue()));
        assertEquals(5, m.getGraph().getOutput(0).getType().getTensorType().getShape().getDim(1).getDimValue());
        // every weight is stored as the engine holds it: fc2's initializer has its exact floats
        Onnx.TensorProto fc2 = m.getGraph().getInitializerList().stream().filter(t -> t.getName().equals("fc2.W"))
                .findFirst().orElseThrow();
        float[] stored = new float[fc2.getRawData().size() / 4];
        fc2.getRawData().asReadOnlyByteBuffer().order(java.nio.ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(stored);
        assertTrue(java.util.Arrays.equals(random(6, 12, 5).data(), stored));
        // ONNX Runtime runs a batch size other than the one the engine ran
        assertEquals(2 * 5, ortLogits(bytes, images(2, 3, 13, 13, 9)).length);
    }

    @Test
    void anUnfoldedBatchNormIsRefusedNamingTheFix() {
        Network net = ModelZoo.build(ModelZoo.RESNET_8, 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> OnnxExporter.export(net, new int[] {1, 28, 28}, "test", Map.of()));
        assertTrue(e.getMessage().contains("still has BatchNorm layers; export its foldBatchNorm() copy"),
                e.getMessage());
    }

    @Test
    void aLayerWithAnEffectiveWeightIsRefused() {
        Network net = everyLayer();
        net.weightLayer("fc1").setEffectiveWeight(new float[8 * 3 * 3 * 12]);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> OnnxExporter.export(net, new int[] {3, 13, 13}, "test", Map.of()));
        assertTrue(e.getMessage().contains("layer fc1 has an effective weight set"), e.getMessage());
    }
}
