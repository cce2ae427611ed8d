package org.ternsweep.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.ternsweep.data.InputShape;
import org.ternsweep.engine.Layer;
import org.ternsweep.engine.Network;
import org.ternsweep.engine.Param;
import org.ternsweep.engine.Stage;
import org.ternsweep.engine.Tensor;

class ModelZooTest {

    @Test
    void parameterCountsMatchSpec() {
        assertEquals(80_202, ModelZoo.build("cnn-small", 0).parameterCount());
        assertEquals(77_754, ModelZoo.build("resnet-8", 0).parameterCount());
    }

    /**
     * ResNet-20's counts come from PyTorch 1.13 (Debian python3-torch), not from this code: a torchvision-free
     * definition (Conv2d 3×3 16 without bias, BatchNorm2d, ReLU; 3 stages × 3 basic blocks of 16/32/64 with
     * bias-free 3×3 convs and BN, stride 2 and a 1×1 conv + BN projection at the first block of stages 2 and 3;
     * AdaptiveAvgPool2d(1), Linear(64, 10)), counted with {@code sum(p.numel() for p in m.parameters())}.
     */
    @Test
    void resnet20ParameterCountsMatchPyTorch() {
        assertEquals(272_474, ModelZoo.build("resnet-20", new InputShape(3, 32, 32, 10), 0).parameterCount());
        assertEquals(272_186, ModelZoo.build("resnet-20", InputShape.GREY_28, 0).parameterCount());
        // 9 blocks of 2 convs, the stem, 2 projections and the classifier
        assertEquals(22, ModelZoo.build("resnet-20", 0).weightLayers().size());
    }

    @Test
    void fashionMnistBuildsAreTheDefaultShapesBuilds() {
        for (String arch : List.of("cnn-small", "resnet-8")) {
            Network a = ModelZoo.build(arch, 7);
            Network b = ModelZoo.build(arch, InputShape.GREY_28, 7);
            assertEquals(a.params().size(), b.params().size());
            for (int i = 0; i < a.params().size(); i++) {
                assertArrayEquals(a.params().get(i).shape(), b.params().get(i).shape());
                assertArrayEquals(a.params().get(i).valueFloats(), b.params().get(i).valueFloats());
            }
        }
    }

    @Test
    void everyArchitectureRunsForwardAndBackwardOnGreyAndColourImages() {
        for (String arch : ModelZoo.ARCHITECTURES) {
            for (InputShape in : List.of(InputShape.GREY_28, new InputShape(3, 32, 32, 10),
                    new InputShape(3, 20, 24, 4))) {
                Network net = ModelZoo.build(arch, in, 0).bind(TestEngines.ENGINE);
                Tensor x = noise(2, in, 1);
                Tensor logits = net.forward(x, true);
                assertArrayEquals(new int[] {2, in.classes()}, logits.shape(), arch + " on " + in);
                Tensor dx = net.backward(new Tensor(new float[2 * in.classes()], 2, in.classes()), true);
                assertArrayEquals(x.shape(), dx.shape(), arch + " on " + in);
            }
        }
    }

    @Test
    void cnnSmallDenseFanInFollowsTheImage() {
        // 32 → conv5 28 → pool 14 → conv5 10 → pool 5: 32 channels × 5 × 5
        assertArrayEquals(new int[] {800, 128},
                ModelZoo.build("cnn-small", new InputShape(3, 32, 32, 10), 0).weightLayer("fc1").weight().shape());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ModelZoo.build("cnn-small", new InputShape(1, 12, 12, 10), 0));
        assertTrue(e.getMessage().contains("12x12"), e.getMessage());
    }

    @Test
    void resnet20TrainingLowersTheLoss() {
        // a learnable rule on 3×8×8 images: the class is the channel with the largest mean
        InputShape in = new InputShape(3, 8, 8, 3);
        int n = 96;
        Tensor x = noise(n, in, 2);
        int[] y = new int[n];
        float[] v = x.data();
        for (int i = 0; i < n; i++) {
            y[i] = i % 3;
            for (int p = 0; p < 64; p++) {
                v[i * in.pixels() + y[i] * 64 + p] += 0.5f;
            }
        }
        Network net = ModelZoo.build("resnet-20", in, 0).bind(TestEngines.ENGINE);
        List<EpochReport> r = Trainer.train(net, x, y, new TrainConfig(6, 16, 3e-3, OptimizerKind.ADAM), 0,
                EpochListener.NONE, StepHook.NONE);
        double first = r.get(0).meanLoss();
        double last = r.get(r.size() - 1).meanLoss();
        assertTrue(last < 0.5 * first, "mean loss " + first + " → " + last);
    }

    private static Tensor noise(int n, InputShape in, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] v = new float[n * in.pixels()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) rng.nextDouble();
        }
        return new Tensor(v, in.batchShape(n));
    }

    @Test
    void layerAndStageNamesAreStable() {
        Network cnn = ModelZoo.build("cnn-small", 0);
        assertEquals(List.of("conv1", "conv2", "fc1", "fc2"), cnn.weightLayers().stream().map(Layer::name).toList());
        assertEquals(List.of("conv1", "conv2", "fc1", "fc2"), cnn.stages().stream().map(Stage::name).toList());
        Network res = ModelZoo.build("resnet-8", 0);
        List<String> names = List.of("stem", "block1.conv1", "block1.conv2", "block2.conv1", "block2.conv2",
                "block2.shortcut", "block3.conv1", "block3.conv2", "block3.shortcut", "fc");
        assertEquals(names, res.weightLayers().stream().map(Layer::name).toList());
        assertEquals(names, res.foldBatchNorm().weightLayers().stream().map(Layer::name).toList());
        assertEquals(List.of("stem", "block1", "block2", "block3", "fc"),
                res.stages().stream().map(Stage::name).toList());
    }

    @Test
    void initialisationIsDeterministicPerSeedAndBounded() {
        Network a = ModelZoo.build("resnet-8", 3);
        Network b = ModelZoo.build("resnet-8", 3);
        Network c = ModelZoo.build("resnet-8", 4);
        for (int i = 0; i < a.params().size(); i++) {
            assertArrayEquals(a.params().get(i).valueFloats(), b.params().get(i).valueFloats());
        }
        assertFalse(java.util.Arrays.equals(a.params().get(0).valueFloats(), c.params().get(0).valueFloats()));
        Param fc1 = ModelZoo.build("cnn-small", 0).weightLayer("fc1").weight();
        double bound = 1 / Math.sqrt(512);
        float[] v = fc1.valueFloats();
        double max = 0;
        for (float f : v) {
            max = Math.max(max, Math.abs(f));
        }
        assertTrue(max <= bound && max > 0.9 * bound, "fc1 weights within ±1/sqrt(fan_in): max " + max);
    }

    @Test
    void unknownArchitectureNamesTheChoices() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelZoo.build("vgg", 0));
        assertTrue(e.getMessage().contains("cnn-small") && e.getMessage().contains("vgg"), e.getMessage());
    }
}
