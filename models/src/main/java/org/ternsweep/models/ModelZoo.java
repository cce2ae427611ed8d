package org.ternsweep.models;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import org.ternsweep.core.SeedPurpose;
import org.ternsweep.core.Seeds;
import org.ternsweep.data.InputShape;
import org.ternsweep.engine.Activation;
import org.ternsweep.engine.BatchNorm2d;
import org.ternsweep.engine.Conv2d;
import org.ternsweep.engine.Dense;
import org.ternsweep.engine.Flatten;
import org.ternsweep.engine.GlobalAvgPool;
import org.ternsweep.engine.MaxPool2d;
import org.ternsweep.engine.Network;
import org.ternsweep.engine.Param;
import org.ternsweep.engine.ReLU;
import org.ternsweep.engine.ResidualBlock;
import org.ternsweep.engine.SequentialStage;
import org.ternsweep.engine.Stage;
import org.ternsweep.engine.WeightLayer;

/**
 * Builds the networks of spec §7, and the CIFAR ResNet-20, for a dataset's {@link InputShape} with
 * deterministic initialisation. The first convolution takes the dataset's channels, the classifier gives
 * its classes, and cnn-small's first dense layer takes what its two conv/pool stages leave of the image;
 * the ResNets end in global average pooling, so their classifier's fan-in is 64 for any image size.
 *
 * <p>Initialisation follows PyTorch's defaults for {@code Conv2d}/{@code Linear} (Kaiming-uniform with
 * a = √5, He et al. 2015), which reduces to {@code U(−1/√fan_in, 1/√fan_in)} for weights and biases;
 * BatchNorm starts at γ = 1, β = 0, mean 0, variance 1. All draws come from
 * {@code Seeds.stream(modelSeed, SeedPurpose.modelInit(architecture))} ({@code init:<architecture>}), in network
 * order, weight before bias.
 */
public final class ModelZoo {
    /** The small CNN: 80 202 parameters on 1×28×28 images with 10 classes. */
    public static final String CNN_SMALL = "cnn-small";
    /** The 8-layer ResNet: 77 754 parameters (BatchNorm γ and β included) on 1×28×28 images with 10 classes. */
    public static final String RESNET_8 = "resnet-8";
    /**
     * He et al. 2016's CIFAR ResNet-20 (3 stages × 3 basic blocks of 16/32/64 channels, stride 2 with 1×1
     * conv + BN projection shortcuts at the first block of stages 2 and 3): 272 474 parameters on 3×32×32
     * images with 10 classes, 272 186 on 1×28×28.
     */
    public static final String RESNET_20 = "resnet-20";
    /** Every architecture the zoo builds. */
    public static final List<String> ARCHITECTURES = List.of(CNN_SMALL, RESNET_8, RESNET_20);

    private ModelZoo() {
    }

    /** A freshly initialised network of the named architecture for 1×28×28 images and 10 classes (Fashion-MNIST). */
    public static Network build(String architecture, long modelSeed) {
        return build(architecture, InputShape.GREY_28, modelSeed);
    }

    /**
     * A freshly initialised network of the named architecture for images and classes of {@code input}.
     *
     * @throws IllegalArgumentException for an unknown architecture, or images too small for it
     */
    public static Network build(String architecture, InputShape input, long modelSeed) {
        Objects.requireNonNull(input, "input");
        Network net = switch (architecture == null ? "" : architecture) {
            case CNN_SMALL -> cnnSmall(input);
            case RESNET_8 -> resnet8(input);
            case RESNET_20 -> resnet20(input);
            default -> throw new IllegalArgumentException("unknown architecture '" + architecture
                    + "'; the zoo builds " + ARCHITECTURES);
        };
        initialise(net, Seeds.stream(modelSeed, SeedPurpose.modelInit(architecture)));
        return net;
    }

    private static Network cnnSmall(InputShape in) {
        // two 5×5 valid convolutions, each followed by a 2×2 max-pool that floors odd sizes
        int h = (in.height() - 4) / 2 - 4;
        int w = (in.width() - 4) / 2 - 4;
        if (in.height() < 5 || in.width() < 5 || h < 2 || w < 2) {
            throw new IllegalArgumentException(CNN_SMALL + " needs images of at least 16x16 (two 5x5 convolutions"
                    + " and two 2x2 pools); got " + in.height() + "x" + in.width());
        }
        int flat = 32 * (h / 2) * (w / 2);
        return new Network(CNN_SMALL, List.of(
                new SequentialStage("conv1", List.of(
                        new Conv2d("conv1", in.channels(), 16, 5, 1, 0, true, Activation.RELU),
                        new ReLU("conv1.relu"), new MaxPool2d("conv1.pool"))),
                new SequentialStage("conv2", List.of(new Conv2d("conv2", 16, 32, 5, 1, 0, true, Activation.RELU),
                        new ReLU("conv2.relu"), new MaxPool2d("conv2.pool"))),
                new SequentialStage("fc1", List.of(new Flatten("flatten"),
                        new Dense("fc1", flat, 128, true, Activation.RELU), new ReLU("fc1.relu"))),
                new SequentialStage("fc2", List.of(
                        new Dense("fc2", 128, in.classes(), true, Activation.IDENTITY)))));
    }

    private static Network resnet8(InputShape in) {
        return new Network(RESNET_8, List.of(
                stem(in),
                ResidualBlock.create("block1", 16, 16, 1),
                ResidualBlock.create("block2", 16, 32, 2),
                ResidualBlock.create("block3", 32, 64, 2),
                head(in)));
    }

    private static Network resnet20(InputShape in) {
        List<Stage> stages = new ArrayList<>();
        stages.add(stem(in));
        int[] widths = {16, 32, 64};
        int channels = 16;
        for (int s = 0; s < widths.length; s++) {
            for (int b = 0; b < 3; b++) {
                int stride = s > 0 && b == 0 ? 2 : 1;
                stages.add(ResidualBlock.create("stage" + (s + 1) + ".block" + (b + 1), channels, widths[s],
                        stride));
                channels = widths[s];
            }
        }
        stages.add(head(in));
        return new Network(RESNET_20, stages);
    }

    private static Stage stem(InputShape in) {
        return new SequentialStage("stem", List.of(
                new Conv2d("stem", in.channels(), 16, 3, 1, 1, false, Activation.RELU),
                new BatchNorm2d("stem.bn", 16), new ReLU("stem.relu")));
    }

    private static Stage head(InputShape in) {
        return new SequentialStage("fc", List.of(new GlobalAvgPool("gap"),
                new Dense("fc", 64, in.classes(), true, Activation.IDENTITY)));
    }

    private static void initialise(Network net, SplittableRandom rng) {
        for (WeightLayer w : net.weightLayers()) {
            int[] shape = w.weight().shape();
            long fanIn = w.outputAxis() == 0 ? w.weight().length() / shape[0] : shape[0];
            double bound = 1.0 / Math.sqrt(fanIn);
            fill(w.weight(), rng, bound);
            if (w.bias() != null) {
                fill(w.bias(), rng, bound);
            }
        }
    }

    private static void fill(Param p, SplittableRandom rng, double bound) {
        float[] v = p.valueFloats();
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) ((rng.nextDouble() * 2 - 1) * bound);
        }
    }
}
