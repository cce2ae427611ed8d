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
import org.ternsweep.catalog.Catalog;
import org.ternsweep.catalog.OptionException;
import org.ternsweep.catalog.QatOptions;
import org.ternsweep.core.EpochStat;
import org.ternsweep.core.LayerDiagnostics;
import org.ternsweep.core.NumericalFailureException;
import org.ternsweep.core.SeedPurpose;
import org.ternsweep.core.Seeds;
import org.ternsweep.core.TrainingDivergedException;
import org.ternsweep.data.Dataset;
import org.ternsweep.data.InputShape;
import org.ternsweep.engine.Evaluator;
import org.ternsweep.engine.Network;
import org.ternsweep.engine.Param;
import org.ternsweep.engine.SoftmaxCrossEntropy;
import org.ternsweep.engine.Tensor;
import org.ternsweep.engine.WeightLayer;
import org.ternsweep.models.Nd4jArrays;
import org.ternsweep.models.Trainer;
import org.ternsweep.quant.Int8Quantizer;
import org.ternsweep.quant.LayerScheme;
import org.ternsweep.quant.TernaryFit;
import org.ternsweep.runner.Registry;

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
            Nd4jArrays.assign(q.weightLayers().get(i).weight(), plan.quantize(src.get(i), schemes[i]).values());
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
        QatQuantizer quantizer = new QatQuantizer(qat, plan, QatOptions.Ste.IDENTITY);
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
        QatQuantizer quantizer = new QatQuantizer(qat, plan, QatOptions.Ste.CLIPPED);
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
        new QatQuantizer(qat, plan, QatOptions.Ste.IDENTITY).apply(1, 0);
        float[] seen = qat.forward(x, false).data();
        float[] deployed = QatMethod.deploy(net, plan, List.of()).network().forward(x, false).data();
        assertClose(deployed, seen, "inference-mode logits with effective weights vs the deployed ternary model");
    }

    private static QatMethod.Result train(Network net, QuantPlan plan, Dataset data, Map<String, ?> opts, long seed) {
        return QatFixtures.qat(opts).train(new MethodInput(net, plan, data, seed));
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"native, per-tensor", "native, per-channel", "tquant, per-tensor", "tquant, per-channel",
            "mquant, per-tensor", "mquant, per-channel"})
    void finalModelIsTheOperatorAppliedToTheTrainedFoldedWeights(String op, String gran) {
        Network net = QatFixtures.tinyResNet(6);
        float[] before = QatFixtures.values(net.weightLayers().get(2).weight());
        QuantPlan plan = QatFixtures.plan(op, gran, "int8");
        Dataset data = QatFixtures.synthetic(64, 32, 1);
        QatMethod.Result res = train(net, plan, data, Map.of("epochs", 1, "batch", 16, "lr", 1e-2), 7);

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
                assertArrayEquals(Nd4jArrays.floats(Int8Quantizer.quantize(Nd4jArrays.value(f.weight()),
                        f.outputAxis())), q);
                continue;
            }
            TernaryFit fit = plan.fit(f);
            assertArrayEquals(Nd4jArrays.floats(plan.operator().quantize(Nd4jArrays.value(f.weight()), fit)), q,
                    f.name());
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
        assertEquals(Evaluator.evaluate(out, new Tensor(data.testImages(),
                InputShape.GREY_28.batchShape(data.testSize())), data.testLabels(), 500).accuracy(), curve.get(0).testAccuracy(), 0.0,
                "the curve's point is the returned model's accuracy on the whole test split");
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
        QatMethod.Result a = train(net, plan, data, opts, 11);
        QatMethod.Result b = train(net, plan, data, opts, 11);
        QatMethod.Result c = train(net, plan, data, opts, 12);

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

    /**
     * One SGD step of QAT from W lands on W − lr·∇L(Q(W)), bitwise, where the gradient is taken on the first batch
     * of the order drawn from (seed, {@code qat-order:epoch0}): the forward pass sees Q(W), the gradient passes
     * straight through to the float weights, clipped STE zeroes it where |w| &gt; λ, and the seed's purpose picks
     * the batch.
     */
    @ParameterizedTest(name = "ste {0}")
    @CsvSource({"identity", "clipped"})
    void oneStepMovesTheFloatWeightsByTheGradientAtTheQuantizedWeights(String ste) {
        Network net = QatFixtures.tinyPlain(12);
        QuantPlan plan = QatFixtures.plan("tquant", "per-tensor", "int8");
        Dataset data = QatFixtures.synthetic(32, 8, 4);
        float lr = 0.05f;
        QatMethod.Result res = train(net, plan, data,
                Map.of("epochs", 0.5, "batch", 16, "lr", (double) lr, "optimizer", "sgd", "ste", ste), 21);

        int[] order = Seeds.permutation(data.trainSize(), 21, SeedPurpose.QAT_ORDER.epoch(0));
        int b = 16;
        float[] xb = new float[b * InputShape.GREY_28.pixels()];
        int[] yb = new int[b];
        for (int i = 0; i < b; i++) {
            int pixels = InputShape.GREY_28.pixels();
            System.arraycopy(data.trainImages(), order[i] * pixels, xb, i * pixels, pixels);
            yb[i] = data.trainLabels()[order[i]];
        }
        Network reference = quantizedCopy(net, plan);
        forwardBackward(reference, new Tensor(xb, InputShape.GREY_28.batchShape(b)), yb);

        LayerScheme[] schemes = plan.schemes(net.weightLayers());
        int clipped = 0;
        for (int i = 0; i < schemes.length; i++) {
            WeightLayer before = net.weightLayers().get(i);
            WeightLayer after = res.trainedFloat().weightLayers().get(i);
            float[] w = QatFixtures.values(before.weight());
            float[] g = QatFixtures.grad(reference.weightLayers().get(i).weight());
            double lambda = schemes[i] == LayerScheme.TERNARY ? plan.fit(before).lambda(0) : Double.POSITIVE_INFINITY;
            float[] expected = new float[w.length];
            for (int k = 0; k < w.length; k++) {
                boolean saturated = ste.equals("clipped") && Math.abs(w[k]) > lambda;
                clipped += saturated && g[k] != 0 ? 1 : 0;
                expected[k] = w[k] - lr * (saturated ? 0f : g[k]);
            }
            assertArrayEquals(expected, QatFixtures.values(after.weight()), before.name() + " weight");
            float[] bias = QatFixtures.values(before.bias());
            float[] gb = QatFixtures.grad(reference.weightLayers().get(i).bias());
            for (int k = 0; k < bias.length; k++) {
                bias[k] -= lr * gb[k];
            }
            assertArrayEquals(bias, QatFixtures.values(after.bias()), before.name() + " bias");
        }
        assertEquals(ste.equals("clipped"), clipped > 0, "clipped weights with a non-zero gradient: " + clipped);
    }

    /**
     * On a task the network can learn (the class is where the bright rows are), QAT's training loss falls epoch by
     * epoch and the ternary model it returns is far above chance, while data-free rounding of the same starting
     * network is not: the accuracy comes from the training.
     */
    @Test
    void onALearnableTaskTheLossFallsAndTheTernaryModelLearnsIt() {
        Network net = QatFixtures.tinyMlp(13);
        QuantPlan plan = QatFixtures.plan("mquant", "per-channel", "ternary");
        Dataset data = QatFixtures.synthetic(512, 256, 5);
        Tensor test = new Tensor(data.testImages(), InputShape.GREY_28.batchShape(data.testSize()));
        QatMethod.Result res = train(net, plan, data, Map.of("epochs", 3, "batch", 32, "lr", 1e-2), 3);
        List<EpochStat> curve = res.outcome().trainingCurve();
        double dataFree = Evaluator.evaluate(new DataFreeMethod(Catalog.DATA_FREE.defaults())
                .quantize(new MethodInput(net, plan, data, 3)).network(), test, data.testLabels(), 500).accuracy();
        System.out.println("QAT curve " + curve + ", data-free accuracy " + dataFree);
        assertEquals(3, curve.size());
        for (int e = 1; e < curve.size(); e++) {
            assertTrue(curve.get(e).trainLoss() < curve.get(e - 1).trainLoss(), "training loss falls: " + curve);
        }
        double qat = curve.get(curve.size() - 1).testAccuracy();
        assertTrue(qat > 0.9, "ternary test accuracy after QAT " + qat + " (chance 0.1)");
        assertTrue(dataFree < 0.3, "data-free rounding of the untrained network " + dataFree);
    }

    /**
     * QAT with lr 10 on a tiny run: the loss runs far above where it started. The cell must not be stored as a
     * measurement: training stops as diverged, says to lower the lr, and keeps the curve up to there.
     */
    @Test
    void aLossThatRunsFarAboveItsStartIsDivergedAndKeepsTheCurve() {
        Network net = QatFixtures.tinyMlp(13);
        QuantPlan plan = QatFixtures.plan("mquant", "per-channel", "ternary");
        Dataset data = QatFixtures.synthetic(512, 64, 5);
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                () -> train(net, plan, data, Map.of("epochs", 2, "batch", 32, "lr", 10.0), 3));
        assertTrue(e.getMessage().startsWith("QAT of " + net.architecture() + " diverged"), e.getMessage());
        assertTrue(e.getMessage().contains("lower the qat lr"), e.getMessage());
        assertFalse(e.curve().isEmpty(), "the finished epochs are kept: " + e.getMessage());
        EpochStat last = e.curve().get(e.curve().size() - 1);
        assertTrue(last.trainLoss() > Trainer.DIVERGENCE_FACTOR * Math.log(10), e.curve().toString());
        assertTrue(e.getMessage().contains("mean loss of epoch " + last.epoch() + " is " + last.trainLoss()),
                e.getMessage());
    }

    @Test
    void nonFiniteWeightsOrLossStopTrainingWithANumericalFailure() {
        QuantPlan plan = QatFixtures.plan("mquant", "per-tensor", "int8");
        Dataset data = QatFixtures.synthetic(32, 8, 3);

        Network badWeight = QatFixtures.tinyPlain(9);
        Param w = badWeight.weightLayers().get(1).weight();
        w.valueFloats()[0] = Float.NaN;
        NumericalFailureException e1 = assertThrows(NumericalFailureException.class,
                () -> train(badWeight, plan, data, Map.of("batch", 16), 1));
        assertTrue(e1.getMessage().contains("conv2") && e1.getMessage().contains("epoch 1, step 0")
                && e1.getMessage().contains("lower the qat lr"), e1.getMessage());

        Network badBias = QatFixtures.tinyPlain(9);
        badBias.weightLayers().get(2).bias().valueFloats()[0] = Float.POSITIVE_INFINITY;
        NumericalFailureException e2 = assertThrows(NumericalFailureException.class,
                () -> train(badBias, plan, data, Map.of("batch", 16), 1));
        assertTrue(e2.getMessage().startsWith("QAT of tiny-plain diverged at epoch 1, step 0 (loss ")
                && e2.getMessage().endsWith("lower the qat lr or use ste: clipped"), e2.getMessage());
    }

    @Test
    void registryAndOptionsNameWhatIsAllowed() {
        assertInstanceOf(QatMethod.class, Registry.method("qat", Map.of()));
        assertEquals("qat", Registry.method("qat", Map.of()).name());
        OptionException ste = assertThrows(OptionException.class, () -> QatFixtures.qat(Map.of("ste", "straight")));
        assertTrue(ste.getMessage().contains("identity, clipped"), ste.getMessage());
        OptionException opt = assertThrows(OptionException.class,
                () -> QatFixtures.qat(Map.of("optimizer", "rmsprop")));
        assertTrue(opt.getMessage().contains("adam, sgd"), opt.getMessage());
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
