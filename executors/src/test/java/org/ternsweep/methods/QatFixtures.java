package org.ternsweep.methods;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.ternsweep.catalog.Catalog;
import org.ternsweep.core.Seeds;
import org.ternsweep.data.Dataset;
import org.ternsweep.data.InputShape;
import org.ternsweep.engine.Activation;
import org.ternsweep.engine.BatchNorm2d;
import org.ternsweep.engine.Conv2d;
import org.ternsweep.engine.Dense;
import org.ternsweep.engine.Flatten;
import org.ternsweep.engine.GlobalAvgPool;
import org.ternsweep.engine.Network;
import org.ternsweep.engine.Param;
import org.ternsweep.engine.ReLU;
import org.ternsweep.engine.ResidualBlock;
import org.ternsweep.engine.SequentialStage;
import org.ternsweep.engine.Tensor;
import org.ternsweep.engine.WeightLayer;
import org.ternsweep.quant.Granularity;
import org.ternsweep.quant.LayerScheme;
import org.ternsweep.runner.Registry;

/** Small networks, data and plans for the QAT tests (fast: a few thousand multiply-adds per image). */
final class QatFixtures {
    private QatFixtures() {
    }

    /**
     * A tiny ResNet-like network with every structure QAT must handle: a stem conv + BN + ReLU, one residual
     * block with a 1×1 shortcut conv + BN, global average pooling and a dense head. Weights are Gaussian and
     * the BatchNorms have non-trivial γ (some negative), β and running statistics, so folding matters.
     */
    static Network tinyResNet(long seed) {
        SplittableRandom rng = Seeds.stream(seed, "qat-test-net");
        Conv2d stem = new Conv2d("stem", 1, 4, 3, 2, 1, false, Activation.RELU);
        BatchNorm2d stemBn = new BatchNorm2d("stem.bn", 4);
        ResidualBlock block = ResidualBlock.create("block", 4, 8, 2);
        Dense fc = new Dense("fc", 8, 10, true, Activation.IDENTITY);
        Network net = new Network("tiny", List.of(
                new SequentialStage("stem", List.of(stem, stemBn, new ReLU("stem.relu"))),
                block,
                new SequentialStage("fc", List.of(new GlobalAvgPool("gap"), fc))));
        for (WeightLayer w : net.weightLayers()) {
            fill(w.weight(), rng, 0.5);
            if (w.bias() != null) {
                fill(w.bias(), rng, 0.1);
            }
        }
        for (BatchNorm2d bn : List.of(stemBn, block.bn1(), block.bn2(), block.shortcutBn())) {
            int c = bn.channels();
            float[] g = new float[c];
            float[] b = new float[c];
            float[] m = new float[c];
            float[] v = new float[c];
            for (int i = 0; i < c; i++) {
                g[i] = (float) ((i % 3 == 2 ? -1 : 1) * (0.5 + rng.nextDouble()));
                b[i] = (float) (0.2 * rng.nextGaussian());
                m[i] = (float) (0.3 * rng.nextGaussian());
                v[i] = (float) (0.2 + 2 * rng.nextDouble());
            }
            bn.gamma().setValue(g);
            bn.beta().setValue(b);
            System.arraycopy(m, 0, bn.runningMean(), 0, c);
            System.arraycopy(v, 0, bn.runningVar(), 0, c);
        }
        return net.bind(TestEngines.ENGINE);
    }

    /** A BN-free network: conv (bias) · ReLU · conv · ReLU · global average pool · dense. */
    static Network tinyPlain(long seed) {
        SplittableRandom rng = Seeds.stream(seed, "qat-test-plain");
        Network net = new Network("tiny-plain", List.of(
                new SequentialStage("conv1", List.of(new Conv2d("conv1", 1, 4, 3, 2, 1, true, Activation.RELU),
                        new ReLU("conv1.relu"))),
                new SequentialStage("conv2", List.of(new Conv2d("conv2", 4, 8, 3, 2, 1, true, Activation.RELU),
                        new ReLU("conv2.relu"))),
                new SequentialStage("fc", List.of(new GlobalAvgPool("gap"),
                        new Dense("fc", 8, 10, true, Activation.IDENTITY)))));
        for (WeightLayer w : net.weightLayers()) {
            fill(w.weight(), rng, 0.5);
            fill(w.bias(), rng, 0.1);
        }
        return net.bind(TestEngines.ENGINE);
    }

    /**
     * A multilayer perceptron 784-32-32-10 with ReLUs: unlike the convolutional fixtures, which pool globally, it
     * sees where in the image the class's bright rows are, so it can learn {@link #synthetic} to high accuracy.
     */
    static Network tinyMlp(long seed) {
        SplittableRandom rng = Seeds.stream(seed, "qat-test-mlp");
        Network net = new Network("tiny-mlp", List.of(
                new SequentialStage("fc1", List.of(new Flatten("flatten"),
                        new Dense("fc1", InputShape.GREY_28.pixels(), 32, true, Activation.RELU),
                        new ReLU("fc1.relu"))),
                new SequentialStage("fc2", List.of(new Dense("fc2", 32, 32, true, Activation.RELU),
                        new ReLU("fc2.relu"))),
                new SequentialStage("fc3", List.of(new Dense("fc3", 32, 10, true, Activation.IDENTITY)))));
        for (WeightLayer w : net.weightLayers()) {
            fill(w.weight(), rng, 1 / Math.sqrt(w.weight().length() / w.weight().shape()[1]));
            fill(w.bias(), rng, 0.01);
        }
        return net.bind(TestEngines.ENGINE);
    }

    private static void fill(Param p, SplittableRandom rng, double std) {
        float[] v = new float[(int) p.length()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (std * rng.nextGaussian());
        }
        p.setValue(v);
    }

    /** A synthetic dataset whose class shows in the image (a bright row per class), so training can learn. */
    static Dataset synthetic(int train, int test, long seed) {
        SplittableRandom rng = Seeds.stream(seed, "qat-test-data");
        float[] trX = new float[train * InputShape.GREY_28.pixels()];
        int[] trY = new int[train];
        float[] teX = new float[test * InputShape.GREY_28.pixels()];
        int[] teY = new int[test];
        fillImages(trX, trY, rng);
        fillImages(teX, teY, rng);
        return new Dataset("synthetic", trX, trY, teX, teY, "0".repeat(64));
    }

    private static void fillImages(float[] x, int[] y, SplittableRandom rng) {
        for (int n = 0; n < y.length; n++) {
            y[n] = rng.nextInt(InputShape.GREY_28.classes());
            for (int p = 0; p < InputShape.GREY_28.pixels(); p++) {
                int row = p / InputShape.GREY_28.width();
                double signal = row / 2 == y[n] ? 0.8 : 0.0;
                x[n * InputShape.GREY_28.pixels() + p] = (float) Math.min(1, signal + 0.2 * rng.nextDouble());
            }
        }
    }

    /** A plan with default operator options. */
    static QuantPlan plan(String operator, String granularity, String firstLast) {
        return new QuantPlan(Registry.operator(operator, Map.of()), Granularity.fromName(granularity),
                LayerScheme.fromName(firstLast));
    }

    /** QAT with the catalog defaults overridden by {@code given}. */
    static QatMethod qat(Map<String, ?> given) {
        return new QatMethod(Catalog.QAT.read(given));
    }

    /** A random batch of images {@code [n, 1, 28, 28]} with labels. */
    static Tensor images(int n, long seed) {
        SplittableRandom rng = Seeds.stream(seed, "qat-test-batch");
        float[] x = new float[n * InputShape.GREY_28.pixels()];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rng.nextDouble();
        }
        return new Tensor(x, InputShape.GREY_28.batchShape(n));
    }

    static int[] labels(int n) {
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = (i * 7) % InputShape.GREY_28.classes();
        }
        return y;
    }

    static float[] values(Param p) {
        return p.valueFloats().clone();
    }

    static float[] grad(Param p) {
        return p.gradFloats().clone();
    }
}
