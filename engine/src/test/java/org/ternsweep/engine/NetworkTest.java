package org.ternsweep.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

class NetworkTest {

    private static Network smallResNet(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Conv2d stem = new Conv2d("stem", 1, 4, 3, 1, 1, false, Activation.RELU);
        BatchNorm2d bn = new BatchNorm2d("stem_bn", GradientCheckTest.random(r, 0.5, 4).toINDArray().addi(1),
                GradientCheckTest.random(r, 0.5, 4).toINDArray(), GradientCheckTest.random(r, 0.5, 4).toINDArray(),
                GradientCheckTest.random(r, 0.4, 4).toINDArray().addi(1));
        GradientCheckTest.randomize(stem, r, 0.5);
        ResidualBlock block = ResidualBlock.create("block1", 4, 6, 2);
        GradientCheckTest.randomize(block, r, 0.4);
        for (Layer l : block.layers()) {
            if (l instanceof BatchNorm2d b) {
                b.runningMean().assign(GradientCheckTest.random(r, 0.3, b.channels()).toINDArray());
                b.runningVar().assign(GradientCheckTest.random(r, 0.3, b.channels()).toINDArray().addi(1));
            }
        }
        Dense fc = new Dense("fc", 6, 3, true, Activation.IDENTITY);
        GradientCheckTest.randomize(fc, r, 0.5);
        return new Network("tiny", List.of(new SequentialStage("stem", List.of(stem, bn, new ReLU("stem_relu"))),
                block, new SequentialStage("fc", List.of(new GlobalAvgPool("gap"), fc))));
    }

    @Test
    void foldingKeepsInferenceFunctionAndNames() {
        Network net = smallResNet(1);
        Tensor x = GradientCheckTest.random(new SplittableRandom(2), 1, 3, 1, 8, 8);
        float[] a = net.forward(x, false).data();
        Network folded = net.foldBatchNorm();
        assertFalse(folded.hasBatchNorm());
        assertTrue(net.hasBatchNorm());
        float[] b = folded.forward(x, false).data();
        assertArrayEquals(a, b, 1e-4f);
        assertEquals(List.of("stem", "block1.conv1", "block1.conv2", "block1.shortcut", "fc"),
                folded.weightLayers().stream().map(Layer::name).toList());
        for (WeightLayer w : folded.weightLayers()) {
            assertTrue(w.bias() != null, w.name() + " gains a bias when folded");
        }
        assertEquals(Activation.RELU, folded.weightLayer("block1.conv1").activation());
        assertEquals(Activation.IDENTITY, folded.weightLayer("block1.conv2").activation());
    }

    @Test
    void batchNormRunningStatisticsFollowPyTorch() {
        BatchNorm2d bn = new BatchNorm2d("bn", 1);
        // one channel, values 1..4: mean 2.5, biased var 1.25, unbiased var 5/3
        Tensor x = new Tensor(new float[] {1f, 2f, 3f, 4f}, 2, 1, 1, 2);
        float[] y = bn.forward(x, true).data();
        float s = (float) (1 / Math.sqrt(1.25 + BatchNorm2d.EPS));
        assertArrayEquals(new float[] {-1.5f * s, -0.5f * s, 0.5f * s, 1.5f * s}, y, 1e-6f);
        assertEquals(0.25, bn.runningMean().getDouble(0), 1e-6);
        assertEquals(0.9 + 0.1 * 5.0 / 3.0, bn.runningVar().getDouble(0), 1e-6);
        float[] inf = bn.forward(x, false).data();
        assertEquals((1 - 0.25) / Math.sqrt(0.9 + 0.5 / 3 + BatchNorm2d.EPS), inf[0], 1e-6);
    }

    @Test
    void copyIsDeep() {
        Network net = smallResNet(3);
        Network copy = net.copy();
        copy.params().get(0).value().addi(1);
        assertNotEquals(net.params().get(0).value().getDouble(0), copy.params().get(0).value().getDouble(0));
        assertEquals(net.parameterCount(), copy.parameterCount());
    }

    @Test
    void effectiveWeightIsUsedAndReceivesTheGradient() {
        Network net = smallResNet(4);
        Network other = net.copy();
        WeightLayer conv = net.weightLayer("block1.conv2");
        INDArray w2 = conv.weight().value().mul(0.5).addi(0.01);
        conv.setEffectiveWeight(w2);
        other.weightLayer("block1.conv2").weight().value().assign(w2);
        Tensor x = GradientCheckTest.random(new SplittableRandom(5), 1, 2, 1, 8, 8);
        float[] a = net.forward(x, true).data();
        float[] b = other.forward(x, true).data();
        assertArrayEquals(b, a, 1e-6f);
        Tensor g = GradientCheckTest.random(new SplittableRandom(6), 1, 2, 3);
        net.zeroGrad();
        other.zeroGrad();
        net.backward(g);
        other.backward(g);
        assertArrayEquals(Tensor.readFloats(other.weightLayer("block1.conv2").weight().grad()),
                Tensor.readFloats(conv.weight().grad()), 1e-6f);
        assertNotEquals(0.0, conv.weight().grad().sumNumber().doubleValue());
        conv.clearEffectiveWeight();
        assertFalse(conv.hasEffectiveWeight());
        assertThrows(IllegalArgumentException.class, () -> conv.setEffectiveWeight(w2.reshape(-1)));
    }

    @Test
    void lossGradientMatchesSoftmaxMinusOneHot() {
        Tensor z = new Tensor(new float[] {1f, 2f, 3f, 0f, 0f, 0f}, 2, 3);
        SoftmaxCrossEntropy.Result r = SoftmaxCrossEntropy.compute(z, new int[] {2, 0});
        double l0 = Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3)) - 3;
        double l1 = Math.log(3);
        assertEquals((l0 + l1) / 2, r.loss(), 1e-6);
        assertEquals(2, r.correct(), "row 2 ties go to class 0, its label");
        double p02 = Math.exp(3) / (Math.exp(1) + Math.exp(2) + Math.exp(3));
        assertEquals((p02 - 1) / 2, r.gradLogits().data()[2], 1e-6);
        assertEquals((1.0 / 3 - 1) / 2, r.gradLogits().data()[3], 1e-6);
        assertThrows(IllegalArgumentException.class, () -> SoftmaxCrossEntropy.compute(z, new int[] {3, 0}));
    }

    @Test
    void adamFirstStepMovesEachWeightByLr() {
        Param p = new Param("p.W", org.nd4j.linalg.factory.Nd4j.createFromArray(1f, -2f, 3f));
        p.grad().assign(org.nd4j.linalg.factory.Nd4j.createFromArray(0.5f, -4f, 0f));
        new Adam(List.of(p), 0.1).step();
        // PyTorch: the first Adam step is -lr * sign(g) (for g != 0) up to eps.
        assertArrayEquals(new float[] {0.9f, -1.9f, 3f}, Tensor.readFloats(p.value()), 1e-5f);
        Param q = new Param("q.W", org.nd4j.linalg.factory.Nd4j.createFromArray(1f));
        Sgd sgd = new Sgd(List.of(q), 0.1);
        q.grad().assign(1);
        sgd.step();
        sgd.step();
        // buf = 1, then 0.9 + 1 = 1.9: w = 1 - 0.1 - 0.19
        assertEquals(0.71f, Tensor.readFloats(q.value())[0], 1e-6f);
    }
}
