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
        Network net = ModelZoo.build("cnn-small", 0);
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
        Network a = ModelZoo.build("resnet-8", 0);
        Network b = ModelZoo.build("resnet-8", 0);
        Network c = ModelZoo.build("resnet-8", 0);
        List<EpochReport> ra = Trainer.train(a, train.images, train.labels, cfg, 5, EpochListener.NONE, StepHook.NONE);
        Trainer.train(b, train.images, train.labels, cfg, 5, EpochListener.NONE, StepHook.NONE);
        Trainer.train(c, train.images, train.labels, cfg, 6, EpochListener.NONE, StepHook.NONE);
        assertEquals(6, ra.get(0).steps());
        boolean anyDiff = false;
        for (int i = 0; i < a.params().size(); i++) {
            float[] pa = Tensor.readFloats(a.params().get(i).value());
            assertArrayEquals(pa, Tensor.readFloats(b.params().get(i).value()), 0f, a.params().get(i).name());
            anyDiff |= !Arrays.equals(pa, Tensor.readFloats(c.params().get(i).value()));
        }
        assertTrue(anyDiff, "another seed visits batches in another order");
        float[] mean = Tensor.readFloats(((org.ternsweep.engine.BatchNorm2d) a.stages().get(0).layers().get(1)).runningMean());
        assertFalse(mean[0] == 0f, "training updates BatchNorm running statistics");
    }

    @Test
    void fractionalEpochsAndHookAreHonoured() throws IOException {
        FashionMnistSample train = FashionMnistSample.load("train", 256);
        Network net = ModelZoo.build("cnn-small", 1);
        List<Long> before = new ArrayList<>();
        List<Long> after = new ArrayList<>();
        StepHook hook = new StepHook() {
            @Override
            public void beforeStep(Network n, long step) {
                before.add(step);
            }

            @Override
            public void afterStep(Network n, long step, double loss) {
                after.add(step);
            }
        };
        List<EpochReport> r = Trainer.train(net, train.images, train.labels,
                new TrainConfig(1.5, 64, 0.01, OptimizerKind.SGD), 0, EpochListener.NONE, hook);
        assertEquals(2, r.size());
        assertEquals(4, r.get(0).steps());
        assertEquals(2, r.get(1).steps());
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L), before);
        assertEquals(before, after);
        for (Param p : net.params()) {
            assertTrue(Double.isFinite(p.value().sumNumber().doubleValue()), p.name());
        }
        assertThrows(IllegalArgumentException.class, () -> new TrainConfig(0, 64, 0.01, OptimizerKind.SGD));
        assertThrows(IllegalArgumentException.class, () -> OptimizerKind.parse("rmsprop"));
    }
}
