package org.ternsweep.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.ternsweep.engine.BatchNorm2d;
import org.ternsweep.engine.Layer;
import org.ternsweep.engine.Network;
import org.ternsweep.engine.Param;
import org.ternsweep.engine.ResidualBlock;
import org.ternsweep.engine.SoftmaxCrossEntropy;
import org.ternsweep.engine.Stage;
import org.ternsweep.engine.Tensor;

/**
 * The fast engine against stock DL4J layers: per-stage activations in inference mode, and parameter
 * gradients of the mean cross-entropy, on whole cnn-small and resnet-8 networks (which together
 * contain every layer type: conv with and without bias, BatchNorm, ReLU, max-pool, global average
 * pool, flatten, dense and the residual add).
 */
class Dl4jBridgeTest {
    private static final double TOL = 1e-4;

    static Network randomised(String arch, long seed) {
        Network net = ModelZoo.build(arch, seed).bind(TestEngines.ENGINE);
        SplittableRandom r = new SplittableRandom(seed);
        for (Layer l : net.layers()) {
            if (l instanceof BatchNorm2d bn) {
                float[] g = new float[bn.channels()];
                float[] b = new float[bn.channels()];
                float[] m = new float[bn.channels()];
                float[] v = new float[bn.channels()];
                for (int i = 0; i < g.length; i++) {
                    g[i] = (float) (0.5 + r.nextDouble());
                    b[i] = (float) (r.nextDouble() - 0.5);
                    m[i] = (float) (0.2 * (r.nextDouble() - 0.5));
                    v[i] = (float) (0.5 + r.nextDouble());
                }
                bn.gamma().setValue(g);
                bn.beta().setValue(b);
                System.arraycopy(m, 0, bn.runningMean(), 0, m.length);
                System.arraycopy(v, 0, bn.runningVar(), 0, v.length);
            }
        }
        return net;
    }

    static Tensor images(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n * 784];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextDouble();
        }
        return new Tensor(x, n, 1, 28, 28);
    }

    static void assertClose(INDArray expected, float[] actual, String what) {
        float[] e = Nd4jArrays.floats(expected);
        assertEquals(e.length, actual.length, what + " length");
        double maxAbs = 0;
        double maxDiff = 0;
        for (int i = 0; i < e.length; i++) {
            maxAbs = Math.max(maxAbs, Math.abs(e[i]));
            maxDiff = Math.max(maxDiff, Math.abs(e[i] - actual[i]));
        }
        assertTrue(maxDiff <= TOL * maxAbs + 1e-7, what + ": max |diff| " + maxDiff + " vs max |value| " + maxAbs);
    }

    private static String lastVertex(Stage s) {
        if (s instanceof ResidualBlock b) {
            return b.name() + ".relu";
        }
        return s.layers().get(s.layers().size() - 1).name();
    }

    @ParameterizedTest
    @ValueSource(strings = {"cnn-small", "resnet-8"})
    void inferenceActivationsMatchDl4jStageByStage(String arch) {
        Network net = randomised(arch, 11);
        ComputationGraph graph = Dl4jBridge.toDl4j(net);
        Tensor x = images(6, 1);
        Map<String, INDArray> acts = graph.feedForward(Nd4jArrays.array(x), false);
        Tensor t = x;
        for (int i = 0; i < net.stages().size() - 1; i++) {
            Stage s = net.stages().get(i);
            t = s.forward(t, false);
            assertClose(acts.get(lastVertex(s)), t.data(), arch + " stage " + s.name());
        }
        Tensor logits = net.forward(x, false);
        float[] probs = softmax(logits);
        assertClose(graph.outputSingle(Nd4jArrays.array(x)), probs, arch + " output probabilities");
        Network folded = net.foldBatchNorm();
        assertClose(graph.outputSingle(Nd4jArrays.array(x)), softmax(folded.forward(x, false)), arch + " folded");
        assertClose(Dl4jBridge.toDl4j(folded).outputSingle(Nd4jArrays.array(x)), probs, arch + " folded in DL4J");
    }

    @ParameterizedTest
    @ValueSource(strings = {"cnn-small", "resnet-8"})
    void parameterGradientsMatchDl4j(String arch) {
        for (boolean fold : new boolean[] {false, true}) {
            Network net = randomised(arch, 12);
            if (fold) {
                net = net.foldBatchNorm();
            }
            ComputationGraph graph = Dl4jBridge.toDl4j(net);
            Tensor x = images(8, 2);
            int[] y = {0, 1, 2, 3, 4, 5, 6, 7};
            INDArray onehot = Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.FLOAT, 8, 10);
            for (int i = 0; i < 8; i++) {
                onehot.putScalar(i, y[i], 1);
            }
            graph.setInput(0, Nd4jArrays.array(x));
            graph.setLabel(0, onehot);
            graph.computeGradientAndScore();
            Gradient g = graph.gradient();
            net.zeroGrad();
            SoftmaxCrossEntropy.Result r = SoftmaxCrossEntropy.compute(net.forward(x, true), y);
            assertEquals(graph.score(), r.loss(), 1e-4 * Math.abs(r.loss()), arch + " loss");
            net.backward(r.gradLogits());
            int checked = 0;
            for (Param p : net.params()) {
                int dot = p.name().lastIndexOf('.');
                String key = p.name().substring(0, dot) + "_" + p.name().substring(dot + 1);
                INDArray raw = g.getGradientFor(key);
                assertNotNull(raw, "DL4J gradient for " + key + " among " + g.gradientForVariable().keySet());
                // DL4J divides by the minibatch size later, in its updater; the engine's loss is the mean.
                INDArray theirs = raw.div(y.length);
                assertClose(theirs, p.gradFloats(), arch + (fold ? " folded " : " ") + p.name());
                checked++;
            }
            assertEquals(net.params().size(), checked);
        }
    }

    @Test
    void exportedZipReadByDl4jHoldsTheSameNetworkBothArchitecturesFoldedOrNot() throws IOException {
        for (String arch : ModelZoo.ARCHITECTURES) {
            for (boolean fold : new boolean[] {false, true}) {
                Network net = randomised(arch, 13);
                if (fold) {
                    net = net.foldBatchNorm();
                }
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                Dl4jBridge.save(net, out);
                // the test's own zip, so reading it with DL4J (which deserializes Java objects) is safe here
                ComputationGraph graph = ModelSerializer.restoreComputationGraph(
                        new ByteArrayInputStream(out.toByteArray()), false);
                Network back = Dl4jBridge.fromDl4j(graph, Dl4jBridge.architectureOf(graph)).bind(TestEngines.ENGINE);
                assertEquals(arch, back.architecture());
                assertEquals(net.hasBatchNorm(), back.hasBatchNorm());
                assertEquals(net.params().size(), back.params().size());
                for (int i = 0; i < net.params().size(); i++) {
                    assertArrayEquals(net.params().get(i).valueFloats(), back.params().get(i).valueFloats(), 0f,
                            net.params().get(i).name());
                }
                Tensor x = images(3, 3);
                assertArrayEquals(net.forward(x, false).data(), back.forward(x, false).data(), 0f);
            }
        }
        assertFalse(Dl4jBridge.toDl4j(ModelZoo.build("cnn-small", 0)).getConfiguration().getVertices().isEmpty());
    }

    @Test
    void batchNormLayersSayIdentityActivationInTheZip() throws IOException {
        // DL4J's default activation (sigmoid) is not applied by BatchNormalization, but it would mislead a reader
        // of configuration.json or another loader of the zip
        Network net = ModelZoo.build(ModelZoo.RESNET_8, 0);
        int batchNorms = 0;
        for (GraphVertex v : Dl4jBridge.toDl4j(net).getConfiguration().getVertices().values()) {
            if (v instanceof LayerVertex lv && lv.getLayerConf().getLayer() instanceof BatchNormalization bn) {
                assertTrue(bn.getActivationFn() instanceof ActivationIdentity, bn.getLayerName() + ": "
                        + bn.getActivationFn());
                batchNorms++;
            }
        }
        assertEquals(9, batchNorms, "resnet-8's BatchNorms: the stem's, two per block and the two shortcuts'");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Dl4jBridge.save(net, out);
        String json = null;
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(out.toByteArray()))) {
            for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                if (e.getName().equals("configuration.json")) {
                    json = new String(zip.readAllBytes(), StandardCharsets.UTF_8);
                }
            }
        }
        assertNotNull(json, "the zip holds configuration.json");
        assertFalse(json.contains("ActivationSigmoid"), "no layer of the zip says sigmoid");
    }

    private static float[] softmax(Tensor logits) {
        int n = logits.dim(0);
        int k = logits.dim(1);
        float[] z = logits.data();
        float[] p = new float[z.length];
        for (int i = 0; i < n; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < k; j++) {
                max = Math.max(max, z[i * k + j]);
            }
            double s = 0;
            for (int j = 0; j < k; j++) {
                s += Math.exp(z[i * k + j] - max);
            }
            for (int j = 0; j < k; j++) {
                p[i * k + j] = (float) (Math.exp(z[i * k + j] - max) / s);
            }
        }
        return p;
    }
}
