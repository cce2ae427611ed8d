package org.ternsweep.models;

import java.util.List;
import java.util.SplittableRandom;
import org.ternsweep.core.SeedPurpose;
import org.ternsweep.core.Seeds;
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
import org.ternsweep.engine.WeightLayer;

/**
 * Builds the networks of spec §7 with deterministic initialisation.
 *
 * <p>Initialisation follows PyTorch's defaults for {@code Conv2d}/{@code Linear} (Kaiming-uniform with
 * a = √5, He et al. 2015), which reduces to {@code U(−1/√fan_in, 1/√fan_in)} for weights and biases;
 * BatchNorm starts at γ = 1, β = 0, mean 0, variance 1. All draws come from
 * {@code Seeds.stream(modelSeed, SeedPurpose.modelInit(architecture))} ({@code init:<architecture>}), in network
 * order, weight before bias.
 */
public final class ModelZoo {
    /** The small CNN: 80 202 parameters. */
    public static final String CNN_SMALL = "cnn-small";
    /** The 8-layer ResNet: 77 754 parameters (BatchNorm γ and β included). */
    public static final String RESNET_8 = "resnet-8";
    /** Every architecture the zoo builds. */
    public static final List<String> ARCHITECTURES = List.of(CNN_SMALL, RESNET_8);

    private ModelZoo() {
    }

    /** A freshly initialised network of the named architecture. */
    public static Network build(String architecture, long modelSeed) {
        Network net = switch (architecture == null ? "" : architecture) {
            case CNN_SMALL -> cnnSmall();
            case RESNET_8 -> resnet8();
            default -> throw new IllegalArgumentException("unknown architecture '" + architecture
                    + "'; the zoo builds " + ARCHITECTURES);
        };
        initialise(net, Seeds.stream(modelSeed, SeedPurpose.modelInit(architecture)));
        return net;
    }

    private static Network cnnSmall() {
        return new Network(CNN_SMALL, List.of(
                new SequentialStage("conv1", List.of(new Conv2d("conv1", 1, 16, 5, 1, 0, true, Activation.RELU),
                        new ReLU("conv1.relu"), new MaxPool2d("conv1.pool"))),
                new SequentialStage("conv2", List.of(new Conv2d("conv2", 16, 32, 5, 1, 0, true, Activation.RELU),
                        new ReLU("conv2.relu"), new MaxPool2d("conv2.pool"))),
                new SequentialStage("fc1", List.of(new Flatten("flatten"),
                        new Dense("fc1", 512, 128, true, Activation.RELU), new ReLU("fc1.relu"))),
                new SequentialStage("fc2", List.of(new Dense("fc2", 128, 10, true, Activation.IDENTITY)))));
    }

    private static Network resnet8() {
        return new Network(RESNET_8, List.of(
                new SequentialStage("stem", List.of(new Conv2d("stem", 1, 16, 3, 1, 1, false, Activation.RELU),
                        new BatchNorm2d("stem.bn", 16), new ReLU("stem.relu"))),
                ResidualBlock.create("block1", 16, 16, 1),
                ResidualBlock.create("block2", 16, 32, 2),
                ResidualBlock.create("block3", 32, 64, 2),
                new SequentialStage("fc", List.of(new GlobalAvgPool("gap"),
                        new Dense("fc", 64, 10, true, Activation.IDENTITY)))));
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
