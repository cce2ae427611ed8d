package org.ternsweep.methods;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.ternsweep.core.EpochStat;
import org.ternsweep.core.LayerDiagnostics;
import org.ternsweep.data.Dataset;
import org.ternsweep.engine.Network;
import org.ternsweep.engine.Param;
import org.ternsweep.engine.SoftmaxCrossEntropy;
import org.ternsweep.engine.Tensor;
import org.ternsweep.engine.WeightLayer;
import org.ternsweep.quant.Int8Quantizer;
import org.ternsweep.quant.LayerScheme;
import org.ternsweep.quant.TernaryFit;

class QatMethodTest {

    /** One training step's forward and backward in training mode; returns the loss. */
    private static double forwardBackward(Network net, Tensor x, int[] y) {
        net.zeroGrad();
        SoftmaxCrossEntropy.Result r = SoftmaxCrossEntropy.compute(net.forward(x, true), y);
        net.backward(r.gradLogits());
        return r.loss();
    }

    /** A copy of {@code net} whose weights are replaced by their quantized values under {@code plan}. */
    private static Network quantizedCopy(Network net, QuantPlan plan) {
        Network q = net.copy();
        List<WeightLayer> src = net.weightLayers();
        LayerScheme[] schemes = plan.schemes(src);
        for (int i = 0; i < src.size(); i++) {
            q.weightLayers().get(i).weight().value().assign(plan.quantize(src.get(i), schemes[i]).values());
        }
        return q;
    }

    private static void assertClose(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        double scale = 1e-12;
        for (float v : expected) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-5 * scale, what + " [" + i + "]");
        }
    }

    @ParameterizedTest(name = "{0} {1} first_last={2}")
    @CsvSource({"tquant, per-tensor, ternary", "mquant, per-channel, int8", "native, per-channel, fp"})
    void identityStePassesTheGradientOfTheQuantizedWeightsToTheFloatWeights(String op, String gran, String fl) {
        Network net = QatFixtures.tinyPlain(3);
        QuantPlan plan = QatFixtures.plan(op, gran, fl);
        Tensor x = QatFixtures.images(6, 1);
        int[] y = QatFixtures.labels(6);

        Network qat = net.copy();
        QatQuantizer quantizer = new QatQuantizer(qat, plan, QatQuantizer.Ste.IDENTITY);
        quantizer.apply(1, 0);
        double qatLoss = forwardBackward(qat, x, y);
        quantizer.maskGradients();

        Network reference = quantizedCopy(net, plan);
        double refLoss = forwardBackward(reference, x, y);

        assertEquals(refLoss, qatLoss, 1e-6, "the forward pass sees the quantized weights");
        for (int i = 0; i < net.weightLayers().size(); i++) {
            WeightLayer a = qat.weightLayers().get(i);
            WeightLayer b = reference.weightLayers().get(i);
            assertClose(QatFixtures.grad(b.weight()), QatFixtures.grad(a.weight()), a.name() + " weight gradient");
            assertClose(QatFixtures.grad(b.bias()), QatFixtures.grad(a.bias()), a.name() + " bias gradient");
            assertArrayEquals(QatFixtures.values(net.weightLayers().get(i).weight()), QatFixtures.values(a.weight()),
                    a.name() + ": the float weights themselves are untouched by the forward quantizer");
        }
        LayerScheme[] schemes = plan.schemes(qat.weightLayers());
        for (int i = 0; i < schemes.length; i++) {
            assertEquals(schemes[i] != LayerScheme.FP, qat.weightLayers().get(i).hasEffectiveWeight(),
                    "effective weight iff the layer is quantized (" + schemes[i] + ")");
        }
        quantizer.clear();
        assertFalse(qat.weightLayers().stream().anyMatch(WeightLayer::hasEffectiveWeight), "clear() restores floats");
    }

    @Test
    void clippedSteCancelsTheGradientOfWeightsBeyondTheLevel() {
        Network net = QatFixtures.tinyPlain(4);
        QuantPlan plan = QatFixtures.plan("tquant", "per-tensor", "int8");
        Tensor x = QatFixtures.images(6, 2);
        int[] y = QatFixtures.labels(6);

        Network qat = net.copy();
        QatQuantizer quantizer = new QatQuantizer(qat, plan, QatQuantizer.Ste.CLIPPED);
        quantizer.apply(1, 0);
        forwardBackward(qat, x, y);
        quantizer.maskGradients();

        Network reference = quantizedCopy(net, plan);
        forwardBackward(reference, x, y);

        LayerScheme[] schemes = plan.schemes(net.weightLayers());
        int clippedTernary = 0;
        for (int i = 0; i < schemes.length; i++) {
            WeightLayer floatLayer = net.weightLayers().get(i);
            float[] w = QatFixtures.values(floatLayer.weight());
            float[] expected = QatFixtures.grad(reference.weightLayers().get(i).weight());
            if (schemes[i] == LayerScheme.TERNARY) {
                TernaryFit fit = plan.fit(floatLayer);
                for (int k = 0; k < w.length; k++) {
                    if (Math.abs(w[k]) > fit.lambda(0)) {
                        expected[k] = 0f;
                        clippedTernary++;
                    }
                }
            }
            assertClose(expected, QatFixtures.grad(qat.weightLayers().get(i).weight()), floatLayer.name());
        }
        // tquant's λ = 2M/3: Gaussian weights beyond it exist, but are a small minority
        assertTrue(clippedTernary > 0 && clippedTernary < net.weightLayers().get(1).weight().length() / 2,
                "clipped weights of conv2: " + clippedTernary);
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"native, per-tensor", "tquant, per-tensor", "mquant, per-tensor", "tquant, per-channel",
            "mquant, per-channel"})
    void foldingOnTheFlyMakesTheTrainingForwardTheDeployedModel(String op, String gran) {
        Network net = QatFixtures.tinyResNet(5);
        QuantPlan plan = QatFixtures.plan(op, gran, "ternary");
        Tensor x = QatFixtures.images(4, 3);

        Network qat = net.copy();
        new QatQuantizer(qat, plan, QatQuantizer.Ste.IDENTITY).apply(1, 0);
        float[] seen = qat.forward(x, false).data();
        float[] deployed = QatMethod.deploy(net, plan, List.of()).network().forward(x, false).data();
        assertClose(deployed, seen, "inference-mode logits with effective weights vs the deployed ternary model");
    }

    private static MethodInput input(Network net, QuantPlan plan, Dataset data, Map<String, ?> opts, long seed) {
        return new MethodInput(net, plan, data, QatFixtures.qatOptions(opts), seed);
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"native, per-tensor", "native, per-channel", "tquant, per-tensor", "tquant, per-channel",
            "mquant, per-tensor", "mquant, per-channel"})
    void finalModelIsTheOperatorAppliedToTheTrainedFoldedWeights(String op, String gran) {
        Network net = QatFixtures.tinyResNet(6);
        float[] before = QatFixtures.values(net.weightLayers().get(2).weight());
        QuantPlan plan = QatFixtures.plan(op, gran, "int8");
        Dataset data = QatFixtures.synthetic(64, 32, 1);
        QatMethod.Result res = new QatMethod().train(input(net, plan, data,
                Map.of("epochs", 1, "batch", 16, "lr", 1e-2), 7));

        assertArrayEquals(before, QatFixtures.values(net.weightLayers().get(2).weight()), "input network untouched");
        assertFalse(Arrays.equals(before, QatFixtures.values(res.trainedFloat().weightLayers().get(2).weight())),
                "training moved the float weights");
        Network folded = res.trainedFloat().foldBatchNorm();
        Network out = res.outcome().network();
        assertFalse(out.hasBatchNorm());
        List<WeightLayer> layers = out.weightLayers();
        LayerScheme[] schemes = plan.schemes(layers);
        for (int i = 0; i < layers.size(); i++) {
            WeightLayer f = folded.weightLayers().get(i);
            float[] q = QatFixtures.values(layers.get(i).weight());
            if (schemes[i] == LayerScheme.INT8) {
                assertArrayEquals(Tensor.readFloats(Int8Quantizer.quantize(f.weight().value(), f.outputAxis())), q);
                continue;
            }
            TernaryFit fit = plan.fit(f);
            assertArrayEquals(Tensor.readFloats(plan.operator().quantize(f.weight().value(), fit)), q, f.name());
            double[][] groups = fit.layout().split(toDouble(q));
            for (int g = 0; g < groups.length; g++) {
                TreeSet<Double> magnitudes = new TreeSet<>();
                long zeros = 0;
                for (double v : groups[g]) {
                    magnitudes.add(Math.abs(v));
                    zeros += v == 0 ? 1 : 0;
                }
                magnitudes.remove(0.0);
                assertTrue(magnitudes.size() <= 1, f.name() + " group " + g + " has levels " + magnitudes);
                if (!magnitudes.isEmpty()) {
                    assertEquals(fit.lambda(g), magnitudes.first(), 1e-6 * fit.lambda(g), f.name() + " λ");
                }
                if (op.equals("mquant")) {
                    int n = groups[g].length;
                    assertEquals(1.0 / 3, (double) zeros / n, 1.0 / n + 1e-9, f.name() + " mquant zero fraction");
                }
            }
        }
        List<LayerDiagnostics> diag = res.outcome().layers();
        assertEquals(layers.size(), diag.size());
        assertEquals("int8", diag.get(0).scheme());
        assertEquals("ternary", diag.get(1).scheme());
        List<EpochStat> curve = res.outcome().trainingCurve();
        assertEquals(1, curve.size());
        assertTrue(Double.isFinite(curve.get(0).trainLoss()) && curve.get(0).testAccuracy() >= 0);
    }

    private static double[] toDouble(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }

    @Test
    void sameSeedGivesTheSameResultAndAnotherSeedAnotherOrder() {
        Network net = QatFixtures.tinyResNet(8);
        QuantPlan plan = QatFixtures.plan("tquant", "per-channel", "int8");
        Dataset data = QatFixtures.synthetic(48, 16, 2);
        Map<String, Object> opts = Map.of("epochs", 1.5, "batch", 16, "lr", 0.05, "optimizer", "sgd", "ste", "clipped");
        QatMethod m = new QatMethod();
        QatMethod.Result a = m.train(input(net, plan, data, opts, 11));
        QatMethod.Result b = m.train(input(net, plan, data, opts, 11));
        QatMethod.Result c = m.train(input(net, plan, data, opts, 12));

        assertEquals(2, a.outcome().trainingCurve().size(), "1.5 epochs = one full and one partial epoch");
        assertEquals(a.outcome().trainingCurve(), b.outcome().trainingCurve());
        for (int i = 0; i < net.weightLayers().size(); i++) {
            assertArrayEquals(QatFixtures.values(a.outcome().network().weightLayers().get(i).weight()),
                    QatFixtures.values(b.outcome().network().weightLayers().get(i).weight()));
            assertArrayEquals(QatFixtures.values(a.trainedFloat().weightLayers().get(i).weight()),
                    QatFixtures.values(b.trainedFloat().weightLayers().get(i).weight()));
        }
        assertNotEquals(a.outcome().trainingCurve().get(0).trainLoss(), c.outcome().trainingCurve().get(0).trainLoss(),
                "another seed shuffles the batches differently");
    }

    @Test
    void nonFiniteWeightsOrLossStopTrainingWithAnArithmeticException() {
        QuantPlan plan = QatFixtures.plan("mquant", "per-tensor", "int8");
        Dataset data = QatFixtures.synthetic(32, 8, 3);

        Network badWeight = QatFixtures.tinyPlain(9);
        Param w = badWeight.weightLayers().get(1).weight();
        w.value().putScalar(0, Float.NaN);
        ArithmeticException e1 = assertThrows(ArithmeticException.class,
                () -> new QatMethod().train(input(badWeight, plan, data, Map.of("batch", 16), 1)));
        assertTrue(e1.getMessage().contains("conv2") && e1.getMessage().contains("epoch 1, step 0")
                && e1.getMessage().contains("lower the qat lr"), e1.getMessage());

        Network badBias = QatFixtures.tinyPlain(9);
        badBias.weightLayers().get(2).bias().value().putScalar(0, Float.POSITIVE_INFINITY);
        ArithmeticException e2 = assertThrows(ArithmeticException.class,
                () -> new QatMethod().train(input(badBias, plan, data, Map.of("batch", 16), 1)));
        assertTrue(e2.getMessage().contains("epoch 1, step 0") && e2.getMessage().contains("lower the qat lr"),
                e2.getMessage());
    }

    @Test
    void registryAndOptionsNameWhatIsAllowed() {
        assertInstanceOf(QatMethod.class, Methods.create("qat"));
        assertEquals("qat", Methods.create("qat").name());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> QatQuantizer.Ste.parse("straight"));
        assertTrue(e.getMessage().contains("identity or clipped"), e.getMessage());
        Map<String, Object> opts = new java.util.TreeMap<>(QatFixtures.qatOptions(Map.of()));
        opts.put("optimizer", "rmsprop");
        MethodInput in = new MethodInput(QatFixtures.tinyPlain(1), QatFixtures.plan("native", "per-tensor", "int8"),
                QatFixtures.synthetic(8, 8, 1), opts, 0);
        IllegalArgumentException e2 = assertThrows(IllegalArgumentException.class, () -> new QatMethod().train(in));
        assertTrue(e2.getMessage().contains("adam or sgd"), e2.getMessage());
    }

    @Test
    void followingBatchNormsFindsEveryConvBnPair() {
        Network net = QatFixtures.tinyResNet(1);
        var map = QatQuantizer.followingBatchNorms(net);
        assertEquals(4, map.size(), "stem, block.conv1, block.conv2, block.shortcut");
        assertEquals("block.shortcut_bn", map.get(net.weightLayer("block.shortcut")).name());
        assertFalse(map.containsKey(net.weightLayer("fc")));
    }
}
