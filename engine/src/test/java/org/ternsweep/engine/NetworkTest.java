package org.ternsweep.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class NetworkTest {

    private static Network smallResNet(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Conv2d stem = new Conv2d("stem", 1, 4, 3, 1, 1, false, Activation.RELU);
        BatchNorm2d bn = new BatchNorm2d("stem_bn", GradientCheckTest.shifted(GradientCheckTest.random(r, 0.5, 4), 1f),
                GradientCheckTest.random(r, 0.5, 4).data(), GradientCheckTest.random(r, 0.5, 4).data(),
                GradientCheckTest.shifted(GradientCheckTest.random(r, 0.4, 4), 1f));
        GradientCheckTest.randomize(stem, r, 0.5);
        ResidualBlock block = ResidualBlock.create("block1", 4, 6, 2);
        GradientCheckTest.randomize(block, r, 0.4);
        for (Layer l : block.layers()) {
            if (l instanceof BatchNorm2d b) {
                System.arraycopy(GradientCheckTest.random(r, 0.3, b.channels()).data(), 0, b.runningMean(), 0,
                        b.channels());
                System.arraycopy(GradientCheckTest.shifted(GradientCheckTest.random(r, 0.3, b.channels()), 1f), 0,
                        b.runningVar(), 0, b.channels());
            }
        }
        Dense fc = new Dense("fc", 6, 3, true, Activation.IDENTITY);
        GradientCheckTest.randomize(fc, r, 0.5);
        return new Network("tiny", List.of(new SequentialStage("stem", List.of(stem, bn, new ReLU("stem_relu"))),
                block, new SequentialStage("fc", List.of(new GlobalAvgPool("gap"), fc)))).bind(TestEngines.STANDARD);
    }

    /**
     * A sequential stage lets a ReLU or Clip overwrite the array the layer before it produced: the results must be
     * exactly those of every layer run on its own, forward and backward, and the stage's input, which belongs to
     * the caller, must be left as it was (here a Clip reads it first).
     */
    @Test
    void activationsWritingOverTheirInputChangeNoResult() {
        SplittableRandom r = new SplittableRandom(5);
        Conv2d c1 = new Conv2d("c1", 2, 4, 3, 1, 1, true, Activation.IDENTITY);
        Conv2d c2 = new Conv2d("c2", 4, 4, 3, 2, 1, false, Activation.IDENTITY);
        BatchNorm2d bn = new BatchNorm2d("bn", 4);
        Dense fc = new Dense("fc", 4 * 4 * 4, 3, true, Activation.IDENTITY);
        for (Layer l : List.of(c1, c2, bn, fc)) {
            GradientCheckTest.randomize(l, r, 1.5);
        }
        List<Layer> layers = List.of(new Clip("k0", -0.5f, 0.5f), c1, Clip.relu6("r6"), c2, bn, new Clip("k", -1f, 2f),
                new ReLU("after_clip"), new Flatten("flat"), new ReLU("after_flatten"), fc);
        SequentialStage stage = new SequentialStage("s", layers);
        List<Layer> alone = layers.stream().map(Layer::copy).toList();
        Network net = new Network("n", List.of(stage)).bind(TestEngines.STANDARD);
        alone.forEach(l -> l.bind(TestEngines.STANDARD));
        Tensor x = GradientCheckTest.random(r, 3.0, 3, 2, 8, 8);
        Tensor g = GradientCheckTest.random(r, 1.0, 3, 3);
        float[] input = x.data().clone();

        float[] y = net.forward(x, true).data();
        assertArrayEquals(input, x.data(), "the stage's input");
        Tensor t = x;
        float[] clipped = null;
        for (Layer l : alone) {
            t = l.forward(t, true);
            clipped = l.name().equals("k") ? t.data().clone() : clipped;
        }
        assertArrayEquals(t.data(), y);
        float[] k = clipped;
        assertTrue(IntStream.range(0, k.length).anyMatch(i -> k[i] == -1f)
                && IntStream.range(0, k.length).anyMatch(i -> k[i] == 2f),
                "the input must drive the clip to both bounds");

        float[] dx = net.backward(g).data();
        Tensor d = g;
        for (int i = alone.size() - 1; i >= 0; i--) {
            d = alone.get(i).backward(d);
        }
        assertArrayEquals(d.data(), dx, "input gradient");
        List<Param> ps = alone.stream().flatMap(l -> l.params().stream()).toList();
        for (int i = 0; i < net.params().size(); i++) {
            assertArrayEquals(ps.get(i).gradFloats(), net.params().get(i).gradFloats(), ps.get(i).name());
        }
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
        BatchNorm2d bn = TestEngines.bound(new BatchNorm2d("bn", 1));
        // one channel, values 1..4: mean 2.5, biased var 1.25, unbiased var 5/3
        Tensor x = new Tensor(new float[] {1f, 2f, 3f, 4f}, 2, 1, 1, 2);
        float[] y = bn.forward(x, true).data();
        float s = (float) (1 / Math.sqrt(1.25 + BatchNorm2d.EPS));
        assertArrayEquals(new float[] {-1.5f * s, -0.5f * s, 0.5f * s, 1.5f * s}, y, 1e-6f);
        assertEquals(0.25, bn.runningMean()[0], 1e-6);
        assertEquals(0.9 + 0.1 * 5.0 / 3.0, bn.runningVar()[0], 1e-6);
        float[] inf = bn.forward(x, false).data();
        assertEquals((1 - 0.25) / Math.sqrt(0.9 + 0.5 / 3 + BatchNorm2d.EPS), inf[0], 1e-6);
    }

    @Test
    void copyIsDeep() {
        Network net = smallResNet(3);
        Network copy = net.copy();
        copy.params().get(0).valueFloats()[0] += 1;
        assertNotEquals(net.params().get(0).valueFloats()[0], copy.params().get(0).valueFloats()[0]);
        assertEquals(net.parameterCount(), copy.parameterCount());
    }

    @Test
    void effectiveWeightIsUsedAndReceivesTheGradient() {
        Network net = smallResNet(4);
        Network other = net.copy();
        WeightLayer conv = net.weightLayer("block1.conv2");
        float[] w2 = conv.weight().valueFloats().clone();
        for (int i = 0; i < w2.length; i++) {
            w2[i] = w2[i] * 0.5f + 0.01f;
        }
        conv.setEffectiveWeight(w2);
        other.weightLayer("block1.conv2").weight().setValue(w2);
        Tensor x = GradientCheckTest.random(new SplittableRandom(5), 1, 2, 1, 8, 8);
        float[] a = net.forward(x, true).data();
        float[] b = other.forward(x, true).data();
        assertArrayEquals(b, a, 1e-6f);
        Tensor g = GradientCheckTest.random(new SplittableRandom(6), 1, 2, 3);
        net.zeroGrad();
        other.zeroGrad();
        net.backward(g);
        other.backward(g);
        assertArrayEquals(other.weightLayer("block1.conv2").weight().gradFloats(), conv.weight().gradFloats(), 1e-6f);
        double sum = 0;
        for (float v : conv.weight().gradFloats()) {
            sum += v;
        }
        assertNotEquals(0.0, sum);
        conv.clearEffectiveWeight();
        assertFalse(conv.hasEffectiveWeight());
        assertThrows(IllegalArgumentException.class, () -> conv.setEffectiveWeight(new float[w2.length - 1]));
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
        Param p = new Param("p.W", new Tensor(new float[] {1f, -2f, 3f}, 3));
        System.arraycopy(new float[] {0.5f, -4f, 0f}, 0, p.gradFloats(), 0, 3);
        new Adam(List.of(p), 0.1).step();
        // PyTorch: the first Adam step is -lr * sign(g) (for g != 0) up to eps.
        assertArrayEquals(new float[] {0.9f, -1.9f, 3f}, p.valueFloats(), 1e-5f);
        Param q = new Param("q.W", new Tensor(new float[] {1f}, 1));
        Sgd sgd = new Sgd(List.of(q), 0.1);
        q.gradFloats()[0] = 1;
        sgd.step();
        sgd.step();
        // buf = 1, then 0.9 + 1 = 1.9: w = 1 - 0.1 - 0.19
        assertEquals(0.71f, q.valueFloats()[0], 1e-6f);
    }
}
