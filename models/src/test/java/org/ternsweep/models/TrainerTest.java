package org.ternsweep.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ternsweep.core.NumericalFailureException;
import org.ternsweep.core.SeedPurpose;
import org.ternsweep.engine.Evaluator;
import org.ternsweep.engine.Network;
import org.ternsweep.engine.Param;
import org.ternsweep.engine.Tensor;

class TrainerTest {

    /**
     * One epoch over the first 10 000 training images, then two more. Measured on the dev box: 76.0 %
     * after one epoch (Adam 1e-3, batch 32) and 83.1 % after three. Stock DL4J layers trained from the
     * same initial weights on the same batches reach 75.95 % after the one epoch, so the one-epoch
     * figure is this model's learning curve, not an engine error; 80 % needs the extra epochs.
     */
    @Test
    void cnnSmallLearnsFashionMnistFromTenThousandImages() throws IOException {
        FashionMnistSample train = FashionMnistSample.load("train", 10_000);
        FashionMnistSample test = FashionMnistSample.load("t10k", 10_000);
        Network net = ModelZoo.build("cnn-small", 0).bind(TestEngines.ENGINE);
        List<EpochReport> reports = new ArrayList<>();
        Trainer.train(net, train.images, train.labels, new TrainConfig(1, 32, 1e-3, OptimizerKind.ADAM), 0,
                reports::add, StepHook.NONE);
        assertEquals(1, reports.size());
        assertEquals(313, reports.get(0).steps());
        Evaluator.Evaluation one = Evaluator.evaluate(net, test.images, test.labels, 500);
        Trainer.train(net, train.images, train.labels, new TrainConfig(2, 32, 1e-3, OptimizerKind.ADAM), 1,
                reports::add, StepHook.NONE);
        Evaluator.Evaluation three = Evaluator.evaluate(net, test.images, test.labels, 500);
        System.out.println("cnn-small on 10k images: test accuracy " + one.accuracy() + " after 1 epoch, "
                + three.accuracy() + " after 3; " + reports);
        assertTrue(one.accuracy() > 0.75, "test accuracy after 1 epoch " + one.accuracy());
        assertTrue(three.accuracy() > 0.80, "test accuracy after 3 epochs " + three.accuracy());
        assertTrue(reports.get(2).meanLoss() < reports.get(0).meanLoss(), "training loss falls");
        assertEquals(10_000, three.count());
    }

    @Test
    void resnet8TrainsAndSameSeedGivesBitwiseSameWeights() throws IOException {
        FashionMnistSample train = FashionMnistSample.load("train", 384);
        TrainConfig cfg = new TrainConfig(1, 64, 1e-3, OptimizerKind.ADAM);
        Network a = ModelZoo.build("resnet-8", 0).bind(TestEngines.ENGINE);
        Network b = ModelZoo.build("resnet-8", 0).bind(TestEngines.ENGINE);
        Network c = ModelZoo.build("resnet-8", 0).bind(TestEngines.ENGINE);
        List<EpochReport> ra = Trainer.train(a, train.images, train.labels, cfg, 5, EpochListener.NONE, StepHook.NONE);
        Trainer.train(b, train.images, train.labels, cfg, 5, EpochListener.NONE, StepHook.NONE);
        Trainer.train(c, train.images, train.labels, cfg, 6, EpochListener.NONE, StepHook.NONE);
        assertEquals(6, ra.get(0).steps());
        boolean anyDiff = false;
        for (int i = 0; i < a.params().size(); i++) {
            float[] pa = a.params().get(i).valueFloats();
            assertArrayEquals(pa, b.params().get(i).valueFloats(), 0f, a.params().get(i).name());
            anyDiff |= !Arrays.equals(pa, c.params().get(i).valueFloats());
        }
        assertTrue(anyDiff, "another seed visits batches in another order");
        float[] mean = ((org.ternsweep.engine.BatchNorm2d) a.stages().get(0).layers().get(1)).runningMean();
        assertFalse(mean[0] == 0f, "training updates BatchNorm running statistics");
    }

    @Test
    void fractionalEpochsAndHookAreHonoured() throws IOException {
        FashionMnistSample train = FashionMnistSample.load("train", 256);
        Network net = ModelZoo.build("cnn-small", 1).bind(TestEngines.ENGINE);
        List<String> events = new ArrayList<>();
        StepHook hook = new StepHook() {
            @Override
            public void beforeStep(Network n, int epoch, long step) {
                events.add("before " + epoch + "/" + step);
            }

            @Override
            public void afterBackward(Network n, long step) {
                events.add("backward " + step);
            }

            @Override
            public void afterStep(Network n, long step, double loss) {
                events.add("after " + step);
            }
        };
        List<EpochReport> r = Trainer.train(net, train.images, train.labels,
                new TrainConfig(1.5, 64, 0.01, OptimizerKind.SGD), 0, reportTo(events), hook);
        assertEquals(2, r.size());
        assertEquals(4, r.get(0).steps());
        assertEquals(2, r.get(1).steps());
        List<String> expected = new ArrayList<>();
        for (int step = 0; step < 6; step++) {
            expected.addAll(List.of("before " + (step < 4 ? 1 : 2) + "/" + step, "backward " + step, "after " + step));
            if (step == 3 || step == 5) {
                expected.add("epoch " + (step == 3 ? 1 : 2));
            }
        }
        assertEquals(expected, events);
        for (Param p : net.params()) {
            for (float v : p.valueFloats()) {
                assertTrue(Float.isFinite(v), p.name());
            }
        }
        assertThrows(IllegalArgumentException.class, () -> new TrainConfig(0, 64, 0.01, OptimizerKind.SGD));
        assertThrows(IllegalArgumentException.class, () -> OptimizerKind.parse("rmsprop"));
    }

    private static EpochListener reportTo(List<String> events) {
        return rep -> events.add("epoch " + rep.epoch());
    }

    @Test
    void afterBackwardSeesTheGradientsBeforeTheOptimiserDoes() throws IOException {
        FashionMnistSample train = FashionMnistSample.load("train", 128);
        Network net = ModelZoo.build("cnn-small", 2).bind(TestEngines.ENGINE);
        List<float[]> before = net.params().stream().map(p -> p.valueFloats().clone()).toList();
        StepHook cancelAll = new StepHook() {
            @Override
            public void afterBackward(Network n, long step) {
                for (Param p : n.params()) {
                    Arrays.fill(p.gradFloats(), 0f);
                }
            }
        };
        Trainer.train(net, train.images, train.labels, new TrainConfig(1, 64, 0.1, OptimizerKind.SGD), 0,
                EpochListener.NONE, cancelAll);
        for (int i = 0; i < before.size(); i++) {
            assertArrayEquals(before.get(i), net.params().get(i).valueFloats().clone(), 0f,
                    "SGD steps on the gradients the hook cancelled: " + net.params().get(i).name());
        }
    }

    @Test
    void theRunNamesTheShuffleAndTheDivergenceError() throws IOException {
        FashionMnistSample train = FashionMnistSample.load("train", 256);
        TrainConfig cfg = new TrainConfig(1, 64, 1e-3, OptimizerKind.ADAM);
        Network plain = ModelZoo.build("cnn-small", 3).bind(TestEngines.ENGINE);
        Network baseline = ModelZoo.build("cnn-small", 3).bind(TestEngines.ENGINE);
        Network other = ModelZoo.build("cnn-small", 3).bind(TestEngines.ENGINE);
        Tensor x = train.images;
        Trainer.train(plain, x, train.labels, cfg, 0, EpochListener.NONE, StepHook.NONE);
        Trainer.train(baseline, x, train.labels, cfg, 0, TrainingRun.FLOAT_BASELINE, EpochListener.NONE,
                StepHook.NONE);
        Trainer.train(other, x, train.labels, cfg, 0, new TrainingRun("QAT", SeedPurpose.QAT_ORDER, "advice"),
                EpochListener.NONE, StepHook.NONE);
        float[] w = plain.params().get(0).valueFloats().clone();
        assertArrayEquals(w, baseline.params().get(0).valueFloats().clone(), 0f, "float baselines shuffle with "
                + SeedPurpose.FLOAT_TRAINING_ORDER);
        assertFalse(Arrays.equals(w, other.params().get(0).valueFloats().clone()),
                "another purpose, another batch order");

        StepHook poison = new StepHook() {
            @Override
            public void beforeStep(Network n, int epoch, long step) {
                if (step == 2) {
                    n.params().get(0).valueFloats()[0] = Float.NaN;
                }
            }
        };
        NumericalFailureException e = assertThrows(NumericalFailureException.class, () -> Trainer.train(
                ModelZoo.build("cnn-small", 3).bind(TestEngines.ENGINE), x, train.labels, cfg, 0,
                new TrainingRun("QAT", SeedPurpose.QAT_ORDER, "lower the qat lr"), EpochListener.NONE, poison));
        assertEquals("QAT of cnn-small diverged at epoch 1, step 2 (loss NaN, lr 0.001); lower the qat lr",
                e.getMessage());
    }
}
