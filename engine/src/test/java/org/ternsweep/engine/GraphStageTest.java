package org.ternsweep.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link GraphStage} with grouped and depthwise convs, ReLU6 and min–max {@link Clip}, fan-out, an add and
 * {@link AvgPool2d}, against PyTorch's forward and backward of the same graph (graph-reference.py in the test
 * resources, float64), on both convolution backends and one or two threads.
 */
class GraphStageTest {
    /** Relative agreement with the float64 reference, against the larger of the value and 1. */
    private static final double TOLERANCE = 1e-4;

    private static JsonNode reference() throws IOException {
        try (InputStream in = GraphStageTest.class.getResourceAsStream("graph-reference.json")) {
            return new ObjectMapper().readTree(in);
        }
    }

    private static float[] floats(JsonNode values) {
        float[] v = new float[values.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) values.get(i).asDouble();
        }
        return v;
    }

    private static int[] shape(JsonNode t) {
        int[] s = new int[t.get("shape").size()];
        for (int i = 0; i < s.length; i++) {
            s[i] = t.get("shape").get(i).asInt();
        }
        return s;
    }

    private static Tensor tensor(JsonNode t) {
        return new Tensor(floats(t.get("values")), shape(t));
    }

    private static Tensor param(JsonNode ref, String name) {
        return tensor(ref.get("params").get(name));
    }

    /** The graph of graph-reference.py with its parameters. */
    static GraphStage referenceGraph(JsonNode ref) {
        return new GraphStage("g", "x", "y", List.of(
                GraphStage.Node.layer("c", new Conv2d("c", param(ref, "c.W"), param(ref, "c.b").data(), 1, 1, 2,
                        Activation.IDENTITY), "x"),
                GraphStage.Node.layer("r", Clip.relu6("r"), "c"),
                GraphStage.Node.layer("d", new Conv2d("d", param(ref, "d.W"), null, 2, 1, 8, Activation.IDENTITY),
                        "r"),
                GraphStage.Node.layer("p", new Conv2d("p", param(ref, "p.W"), param(ref, "p.b").data(), 2, 0,
                        Activation.IDENTITY), "r"),
                GraphStage.Node.add("s", "d", "p"),
                GraphStage.Node.layer("a", new AvgPool2d("a", 3, 3, 2, 2, 1, 1), "s"),
                GraphStage.Node.layer("k", new Clip("k", -1f, 2f), "a"),
                GraphStage.Node.layer("gap", new GlobalAvgPool("gap"), "k"),
                GraphStage.Node.layer("y", new Dense("fc", param(ref, "fc.W"), param(ref, "fc.b").data(),
                        Activation.IDENTITY), "gap")));
    }

    private static void assertClose(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what + " length");
        for (int i = 0; i < expected.length; i++) {
            double tol = TOLERANCE * Math.max(1.0, Math.abs(expected[i]));
            assertEquals(expected[i], actual[i], tol, what + "[" + i + "]");
        }
    }

    @ParameterizedTest(name = "{0}, {1} threads")
    @CsvSource({"dnnl, 1", "dnnl, 2", "gemm, 1", "gemm, 2"})
    void forwardAndBackwardMatchPyTorch(String backend, int threads) throws IOException {
        JsonNode ref = reference();
        try (Engine engine = TestEngines.engine(backend, threads)) {
            Network net = new Network("graph", List.of(referenceGraph(ref))).bind(engine);
            Tensor y = net.forward(tensor(ref.get("x")), false);
            assertArrayEquals(shape(ref.get("y")), y.shape());
            assertClose(floats(ref.get("y").get("values")), y.data(), "y");
            Tensor dx = net.backward(tensor(ref.get("R")));
            assertClose(floats(ref.get("dx").get("values")), dx.data(), "dx");
            for (Param p : net.params()) {
                assertClose(floats(ref.get("params").get(p.name()).get("grad")), p.gradFloats(), "d" + p.name());
            }
            assertEquals(7, net.params().size());
        }
    }

    @Test
    void theReferenceActivatesBothClipBounds() throws IOException {
        JsonNode ref = reference();
        assertTrue(ref.get("clipped_low").asInt() > 0 && ref.get("clipped_high").asInt() > 0,
                "the reference must exercise both bounds of ReLU6");
    }

    @Test
    void threadCountsDoNotChangeResults() throws IOException {
        JsonNode ref = reference();
        for (String backend : List.of("gemm", "dnnl")) {
            float[] previous = null;
            for (int threads : new int[] {1, 2}) {
                try (Engine engine = TestEngines.engine(backend, threads)) {
                    Network net = new Network("graph", List.of(referenceGraph(ref))).bind(engine);
                    net.forward(tensor(ref.get("x")), false);
                    net.backward(tensor(ref.get("R")));
                    float[] grads = net.params().get(2).gradFloats();
                    if (previous != null) {
                        assertArrayEquals(previous, grads, backend + ": thread counts must not change results");
                    }
                    previous = grads;
                }
            }
        }
    }

    @Test
    void withoutInputGradientParametersGetTheSameGradients() throws IOException {
        JsonNode ref = reference();
        Network a = new Network("graph", List.of(referenceGraph(ref))).bind(TestEngines.STANDARD);
        Network b = a.copy();
        a.forward(tensor(ref.get("x")), false);
        a.backward(tensor(ref.get("R")), true);
        b.forward(tensor(ref.get("x")), false);
        assertNull(b.backward(tensor(ref.get("R")), false));
        for (int i = 0; i < a.params().size(); i++) {
            assertArrayEquals(a.params().get(i).gradFloats(), b.params().get(i).gradFloats(), a.params().get(i).name());
        }
    }

    /** {@code layer} with random parameters (BatchNorm γ around 1), bound to the standard engine. */
    private static <L extends Layer> L randomized(L layer, SplittableRandom r) {
        GradientCheckTest.randomize(layer, r, 0.5);
        return TestEngines.bound(layer);
    }

    @Test
    void foldingBatchNormKeepsTheInferenceFunction() {
        SplittableRandom r = new SplittableRandom(3);
        Conv2d c1 = randomized(new Conv2d("c1", 4, 8, 3, 1, 1, false, Activation.RELU), r);
        BatchNorm2d bn1 = randomized(new BatchNorm2d("bn1", 8), r);
        Conv2d dw = randomized(new Conv2d("dw", Tensor.zeros(8, 1, 3, 3), null, 1, 1, 8,
                Activation.IDENTITY), r);
        BatchNorm2d bn2 = randomized(new BatchNorm2d("bn2", 8), r);
        for (BatchNorm2d bn : List.of(bn1, bn2)) {
            for (int i = 0; i < 8; i++) {
                bn.runningMean()[i] = (float) (r.nextDouble() - 0.5);
                bn.runningVar()[i] = (float) (0.5 + r.nextDouble());
            }
        }
        GraphStage g = new GraphStage("g", "x", "out", List.of(
                GraphStage.Node.layer("c1", c1, "x"),
                GraphStage.Node.layer("b1", bn1, "c1"),
                GraphStage.Node.layer("r1", randomized(new ReLU("r1"), r), "b1"),
                GraphStage.Node.layer("dw", dw, "r1"),
                GraphStage.Node.layer("b2", bn2, "dw"),
                GraphStage.Node.add("out", "b2", "r1")));
        Tensor x = GradientCheckTest.random(r, 1.0, 2, 4, 6, 6);
        float[] before = g.forward(x, false).data();
        GraphStage folded = g.foldBatchNorm();
        assertEquals(4, folded.nodes().size());
        assertTrue(folded.layers().stream().noneMatch(l -> l instanceof BatchNorm2d));
        assertEquals(8, ((Conv2d) folded.weightLayers().get(1)).groups());
        assertClose(before, folded.forward(x, false).data(), "folded output");
    }

    @Test
    void foldingRefusesABatchNormAfterAFanOut() {
        GraphStage g = new GraphStage("g", "x", "out", List.of(
                GraphStage.Node.layer("c", new Conv2d("c", 2, 2, 1, 1, 0, false, Activation.IDENTITY), "x"),
                GraphStage.Node.layer("b", new BatchNorm2d("bn", 2), "c"),
                GraphStage.Node.add("out", "b", "c")));
        IllegalStateException e = assertThrows(IllegalStateException.class, g::foldBatchNorm);
        assertTrue(e.getMessage().contains("bn"), e.getMessage());
    }

    @Test
    void malformedGraphsAreRefusedNamingTheTensorOrLayer() {
        ReLU relu = new ReLU("relu");
        IllegalArgumentException order = assertThrows(IllegalArgumentException.class, () -> new GraphStage("g", "x",
                "b", List.of(GraphStage.Node.layer("b", new ReLU("r2"), "a"), GraphStage.Node.layer("a", relu, "x"))));
        assertTrue(order.getMessage().contains("node b reads a"), order.getMessage());
        IllegalArgumentException unread = assertThrows(IllegalArgumentException.class, () -> new GraphStage("g", "x",
                "b", List.of(GraphStage.Node.layer("a", relu, "x"), GraphStage.Node.layer("b", new ReLU("r2"), "x"))));
        assertTrue(unread.getMessage().contains("tensor a is read by no node"), unread.getMessage());
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class, () -> new GraphStage("g", "x",
                "b", List.of(GraphStage.Node.layer("a", relu, "x"), GraphStage.Node.layer("b", relu, "a"))));
        assertTrue(twice.getMessage().contains("layer relu appears twice"), twice.getMessage());
        IllegalArgumentException written = assertThrows(IllegalArgumentException.class, () -> new GraphStage("g",
                "x", "a", List.of(GraphStage.Node.layer("a", relu, "x"), GraphStage.Node.add("a", "a", "x"))));
        assertTrue(written.getMessage().contains("tensor a is written twice"), written.getMessage());
    }

    @Test
    void addRefusesDifferentShapesNamingBoth() {
        GraphStage g = new GraphStage("g", "x", "s", List.of(
                GraphStage.Node.layer("p", new AvgPool2d("pool", 2, 2, 2, 2, 0, 0), "x"),
                GraphStage.Node.add("s", "p", "x")));
        g.bind(TestEngines.STANDARD);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> g.forward(Tensor.zeros(1, 1, 4, 4), false));
        assertTrue(e.getMessage().contains("p Tensor[1, 1, 2, 2] and x Tensor[1, 1, 4, 4]"), e.getMessage());
    }
}
