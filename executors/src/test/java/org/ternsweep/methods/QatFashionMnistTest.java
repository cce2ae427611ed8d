package org.ternsweep.methods;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ternsweep.core.EpochStat;
import org.ternsweep.data.Dataset;
import org.ternsweep.data.DatasetFile;
import org.ternsweep.data.DatasetLoader;
import org.ternsweep.data.DatasetSpec;
import org.ternsweep.data.InputShape;
import org.ternsweep.engine.Evaluator;
import org.ternsweep.engine.Network;
import org.ternsweep.engine.Tensor;
import org.ternsweep.models.EpochListener;
import org.ternsweep.models.ModelZoo;
import org.ternsweep.models.OptimizerKind;
import org.ternsweep.models.StepHook;
import org.ternsweep.models.TrainConfig;
import org.ternsweep.models.Trainer;
import org.ternsweep.runner.Registry;

/**
 * QAT on real data: cnn-small trained briefly on the first {@value #TRAIN} Fashion-MNIST images, then
 * quantized with the same operator by data-free rounding and by a short QAT run; QAT must be more
 * accurate on the first {@value #TEST} test images. Skipped where Fashion-MNIST is not installed.
 *
 * <p>The operator is {@code native} per-tensor, whose data-free rounding zeroes most weights (spec §2), so
 * the gap is wide. How robust: with float models of model_seed 0, 1 and 2 (same recipe) the QAT gain was
 * +0.10, +0.23 and +0.18 (data-free 0.60 / 0.49 / 0.52, QAT 0.70 / 0.71 / 0.70, float 0.72 / 0.72 / 0.73),
 * so the required +0.05 leaves a wide margin. Everything is seeded, so the result is deterministic on a
 * given machine and thread count. (The float model is deliberately short-trained to keep the test fast;
 * on such a weak model {@code tquant} and {@code mquant} lose little to data-free rounding and QAT gains
 * from −0.03 to +0.08, too close to assert.)
 */
class QatFashionMnistTest {
    private static final Path DIR = Path.of("/usr/share/datasets/fashion-mnist");
    private static final int TRAIN = 3000;
    private static final int TEST = 1000;

    private static Dataset data;
    private static Network floatNet;

    @BeforeAll
    static void trainFloatModel() throws Exception {
        DatasetSpec spec = DatasetSpec.FASHION_MNIST;
        for (DatasetFile f : List.of(spec.trainImages(), spec.trainLabels(), spec.testImages(), spec.testLabels())) {
            assumeTrue(DatasetLoader.find(DIR, f).isPresent(),
                    "Fashion-MNIST not installed in " + DIR + " (sudo apt-get install dataset-fashion-mnist)");
        }
        assumeTrue(Files.isDirectory(DIR));
        data = DatasetLoader.load(spec, DIR).subset(TRAIN, TEST);
        floatNet = ModelZoo.build(ModelZoo.CNN_SMALL, 0).bind(TestEngines.ENGINE);
        Tensor images = new Tensor(data.trainImages(), InputShape.GREY_28.batchShape(TRAIN));
        Trainer.train(floatNet, images, data.trainLabels(), new TrainConfig(2, 64, 1e-3, OptimizerKind.ADAM), 0,
                EpochListener.NONE, StepHook.NONE);
    }

    private static double accuracy(Network net) {
        Tensor test = new Tensor(data.testImages(), InputShape.GREY_28.batchShape(TEST));
        return Evaluator.evaluate(net, test, data.testLabels(), 500).accuracy();
    }

    @Test
    void shortQatBeatsDataFreeRoundingForTheSameOperator() {
        QuantPlan plan = QatFixtures.plan("native", "per-tensor", "int8");
        double floatAcc = accuracy(floatNet);
        double dataFree = accuracy(Registry.method(DataFreeMethod.NAME, Map.of()).quantize(
                new MethodInput(floatNet, plan, data, 0)).network());
        MethodOutcome qat = Registry.method(QatMethod.NAME, Map.of("epochs", 1, "batch", 64, "lr", 1e-3)).quantize(
                new MethodInput(floatNet, plan, data, 0));
        double qatAcc = accuracy(qat.network());
        List<EpochStat> curve = qat.trainingCurve();
        System.out.printf("float %.4f data-free %.4f qat %.4f curve %s%n", floatAcc, dataFree, qatAcc, curve);
        assertEquals(1, curve.size());
        assertEquals(qatAcc, curve.get(0).testAccuracy(), 1e-12, "the curve's last point is the returned model");
        assertTrue(qatAcc > dataFree + 0.05, "QAT " + qatAcc + " vs data-free " + dataFree + " (float " + floatAcc + ")");
    }
}
