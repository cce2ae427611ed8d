package org.ternsweep.methods;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.ternsweep.core.LayerDiagnostics;
import org.ternsweep.data.Dataset;
import org.ternsweep.data.DatasetLoader;
import org.ternsweep.data.DatasetSpec;
import org.ternsweep.engine.BatchNorm2d;
import org.ternsweep.engine.Layer;
import org.ternsweep.engine.Network;
import org.ternsweep.engine.Tensor;
import org.ternsweep.quant.Granularity;
import org.ternsweep.quant.LayerScheme;
import org.ternsweep.runner.Registry;

/**
 * The corrections that use calibration images (spec §4.1) do what they claim on a small network with BatchNorm and
 * real Fashion-MNIST images: after {@code bias_correction: empirical} every quantized layer's mean output difference
 * from the float network on those images is 0 per channel; after {@code bn_reestimation} every BN-folded quantized
 * layer's per-channel output mean and standard deviation are the float network's.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CalibrationCorrectionsTest {
    private static final Path FASHION = Path.of("/usr/share/datasets/fashion-mnist");
    private static final int CALIBRATION = 128;
    private static final long SEED = 5;
    private Dataset data;

    @BeforeAll
    void load() throws Exception {
        assumeTrue(Files.isRegularFile(FASHION.resolve("train-images-idx3-ubyte.gz")),
                "Fashion-MNIST not installed (sudo apt-get install dataset-fashion-mnist)");
        data = DatasetLoader.load(DatasetSpec.FASHION_MNIST, FASHION).subset(2000, 10);
    }

    /** PtqMethodsTest's network with BatchNorm statistics that make folding change the weights. */
    private static Network network() {
        Network net = PtqMethodsTest.network(1);
        SplittableRandom r = new SplittableRandom(11);
        for (Layer l : net.layers()) {
            if (l instanceof BatchNorm2d bn) {
                int c = bn.channels();
                float[] gamma = new float[c];
                float[] beta = new float[c];
                for (int i = 0; i < c; i++) {
                    gamma[i] = (float) r.nextDouble(0.5, 2);
                    beta[i] = (float) r.nextDouble(-0.5, 0.5);
                    bn.runningMean()[i] = (float) r.nextDouble(-0.2, 0.2);
                    bn.runningVar()[i] = (float) r.nextDouble(0.5, 2);
                }
                bn.gamma().setValue(gamma);
                bn.beta().setValue(beta);
            }
        }
        return net;
    }

    private MethodOutcome run(Network net, String method, Map<String, Object> options) {
        QuantPlan plan = new QuantPlan(Registry.operator("mquant", Map.of()), Granularity.PER_TENSOR, LayerScheme.INT8);
        return Registry.method(method, options).quantize(new MethodInput(net, plan, data, SEED));
    }

    /** Largest |μ_q − μ_f| / σ_f over the channels of {@code layers}. */
    private static double largestShift(Map<String, LayerOutputs.Moments> f, Map<String, LayerOutputs.Moments> q,
                                       List<String> layers) {
        double worst = 0;
        for (String name : layers) {
            for (int c = 0; c < f.get(name).mean().length; c++) {
                worst = Math.max(worst, Math.abs(q.get(name).mean()[c] - f.get(name).mean()[c]) / f.get(name).std()[c]);
            }
        }
        return worst;
    }

    @Test
    void empiricalBiasCorrectionZeroesEveryLayersMeanOutputDifference() {
        Network net = network();
        Tensor images = LayerOutputs.calibrationImages(data, SEED, CALIBRATION);
        Map<String, LayerOutputs.Moments> f = LayerOutputs.all(net.copy().foldBatchNorm(), images);
        List<String> layers = List.copyOf(f.keySet());

        Network plain = run(net, "data-free", Map.of()).network();
        Network corrected = run(net, "data-free", Map.of("bias_correction", "empirical", "calibration", CALIBRATION))
                .network();
        double before = largestShift(f, LayerOutputs.all(plain, images), layers);
        double after = largestShift(f, LayerOutputs.all(corrected, images), layers);
        assertTrue(before > 0.05, "the quantized network drifts before correction: " + before);
        assertTrue(after < 1e-4, "mean output difference after correction, in float stds: " + after);
        // only biases move
        for (int i = 0; i < layers.size(); i++) {
            assertArrayEquals(plain.weightLayers().get(i).weight().valueFloats(),
                    corrected.weightLayers().get(i).weight().valueFloats(), layers.get(i));
        }
    }

    private void assertMomentsMatch(Network quantized, Network unfolded, Tensor images) {
        Map<String, LayerOutputs.Moments> f = LayerOutputs.all(unfolded.copy().foldBatchNorm(), images);
        Map<String, LayerOutputs.Moments> q = LayerOutputs.all(quantized, images);
        List<String> folded = LayerOutputs.foldedLayers(unfolded);
        assertEquals(List.of("block1.conv1", "block1.conv2", "block1.shortcut"), folded);
        for (String name : folded) {
            for (int c = 0; c < f.get(name).mean().length; c++) {
                double sf = f.get(name).std()[c];
                assertEquals(f.get(name).mean()[c], q.get(name).mean()[c], 1e-4 * sf, name + " mean of channel " + c);
                assertEquals(sf, q.get(name).std()[c], 1e-4 * sf, name + " std of channel " + c);
            }
        }
    }

    @Test
    void bnReestimationGivesEveryFoldedLayerTheFloatOutputMeanAndStd() {
        Network net = network();
        Tensor images = LayerOutputs.calibrationImages(data, SEED, CALIBRATION);
        MethodOutcome plain = run(net, "data-free", Map.of());
        MethodOutcome out = run(net, "data-free", Map.of("bn_reestimation", true, "calibration", CALIBRATION));
        assertMomentsMatch(out.network(), net, images);
        // the layers without a BatchNorm (conv1, fc) are left as plain data-free made them
        for (String name : List.of("conv1", "fc")) {
            assertArrayEquals(plain.network().weightLayer(name).weight().valueFloats(),
                    out.network().weightLayer(name).weight().valueFloats(), name);
            assertArrayEquals(plain.network().weightLayer(name).bias().valueFloats(),
                    out.network().weightLayer(name).bias().valueFloats(), name);
        }
        // a folded layer was off before: the test can fail
        Map<String, LayerOutputs.Moments> f = LayerOutputs.all(net.copy().foldBatchNorm(), images);
        double stdRatio = LayerOutputs.all(plain.network(), images).get("block1.conv2").std()[0]
                / f.get("block1.conv2").std()[0];
        assertTrue(Math.abs(stdRatio - 1) > 1e-2, "block1.conv2 std ratio before re-estimation " + stdRatio);
    }

    @Test
    void bnReestimationAfterAdaroundAndBrecq() {
        Network net = network();
        Tensor images = LayerOutputs.calibrationImages(data, SEED, CALIBRATION);
        for (String method : List.of("adaround", "brecq")) {
            MethodOutcome out = run(net, method, Map.of("iterations", 20, "batch", 16, "calibration", CALIBRATION,
                    "bn_reestimation", true));
            assertMomentsMatch(out.network(), net, images);
        }
    }

    /**
     * The drift diagnostics (spec §6) read 0 shift and ratio 1 for the float network against itself, and after the
     * empirical correction a shift of 0 at every layer, whose standard deviations it leaves as they were.
     */
    @Test
    void driftDiagnosticsReadTheOutputStatistics() {
        Network net = network();
        Network folded = net.copy().foldBatchNorm();
        Tensor images = LayerOutputs.calibrationImages(data, SEED, CALIBRATION);
        MethodOutcome plain = run(net, "data-free", Map.of());
        for (LayerDiagnostics d : LayerOutputs.withDrift(plain.layers(), folded, folded.copy(), images)) {
            assertEquals(0.0, d.outputMeanShift(), d.layer());
            assertEquals(1.0, d.outputStdRatio(), 1e-12, d.layer());
        }
        List<LayerDiagnostics> before = LayerOutputs.withDrift(plain.layers(), folded, plain.network(), images);
        MethodOutcome corrected = run(net, "data-free", Map.of("bias_correction", "empirical", "calibration",
                CALIBRATION));
        List<LayerDiagnostics> after = LayerOutputs.withDrift(corrected.layers(), folded, corrected.network(), images);
        assertTrue(before.get(2).outputMeanShift() > 0.01, "drift before correction " + before.get(2));
        for (int i = 0; i < after.size(); i++) {
            assertTrue(after.get(i).outputMeanShift() < 1e-4, "drift after correction " + after.get(i));
            assertEquals(before.get(i).sqnrDb(), after.get(i).sqnrDb(), "the weight diagnostics stay");
        }
        // the first layer sees the same input in both networks and only biases moved: its std ratio stays
        assertEquals(before.get(0).outputStdRatio(), after.get(0).outputStdRatio(), 1e-6);
    }

    @Test
    void oneLayersMomentsFromARunUpToItEqualThoseOfAWholeRun() {
        Network net = network().foldBatchNorm();
        // 300 images: a chunk of 256 and one of 44
        Tensor images = LayerOutputs.calibrationImages(data, SEED, 300);
        Map<String, LayerOutputs.Moments> all = LayerOutputs.all(net, images);
        assertEquals(List.of("conv1", "block1.conv1", "block1.conv2", "block1.shortcut", "fc"),
                List.copyOf(all.keySet()));
        for (String name : all.keySet()) {
            LayerOutputs.Moments one = LayerOutputs.of(net, images, name);
            assertArrayEquals(all.get(name).mean(), one.mean(), name);
            assertArrayEquals(all.get(name).std(), one.std(), name);
        }
    }
}
