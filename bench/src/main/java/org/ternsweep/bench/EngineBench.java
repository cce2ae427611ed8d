package org.ternsweep.bench;

import java.io.DataInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Predicate;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.bytedeco.openblas.global.openblas;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.ternsweep.data.InputShape;
import org.ternsweep.data.ResolverConfig;
import org.ternsweep.engine.Engine;
import org.ternsweep.engine.Evaluator;
import org.ternsweep.engine.Network;
import org.ternsweep.engine.Tensor;
import org.ternsweep.models.Dl4jBridge;
import org.ternsweep.models.EpochListener;
import org.ternsweep.models.ModelZoo;
import org.ternsweep.models.Nd4jArrays;
import org.ternsweep.models.OptimizerKind;
import org.ternsweep.models.StepHook;
import org.ternsweep.models.TrainConfig;
import org.ternsweep.models.Trainer;
import org.ternsweep.models.onnx.OnnxImporter;

/**
 * Prints {@code name value unit} lines comparable with {@code bench/pytorch_reference.py}: sgemm GFLOP/s,
 * engine inference images/s (batch 500, 10 000 test images, BN-folded) and training images/s (batch 128,
 * Adam) for cnn-small, resnet-8, resnet-20 (on Fashion-MNIST's 1×28×28 and on random 3×32×32 images, which
 * time the same work as CIFAR-10 would) and the imported {@code nets/mobilenet.onnx} on every core, the median
 * time to import each {@code nets/*.onnx}, stock DL4J ComputationGraph inference and training on fewer
 * images, and the peak resident set (VmHWM). Options: {@code --quick} (fewer images), {@code --no-dl4j}
 * (engine only), {@code --data DIR} (Fashion-MNIST, default the Debian package's directory; random images
 * when absent), {@code --nets DIR} (the ONNX files, default {@code nets}). {@code -Dternsweep.conv=gemm} times
 * the engine's own convolutions instead of oneDNN's. {@code --only NAME,...} times only those workloads
 * ({@code cnn-small}, {@code resnet-8}, {@code resnet-20}, {@code resnet-20.3x32x32}, {@code import},
 * {@code mobilenet}), to re-measure one change without the rest.
 */
public final class EngineBench {
    private EngineBench() {
    }

    public static void main(String[] args) throws IOException {
        boolean quick = false;
        boolean dl4j = true;
        Path data = ResolverConfig.DEBIAN_ROOT.resolve("fashion-mnist");
        Path nets = Path.of("nets");
        Set<String> only = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--quick")) {
                quick = true;
            } else if (args[i].equals("--no-dl4j")) {
                dl4j = false;
            } else if (args[i].equals("--data") && i + 1 < args.length) {
                data = Path.of(args[++i]);
            } else if (args[i].equals("--nets") && i + 1 < args.length) {
                nets = Path.of(args[++i]);
            } else if (args[i].equals("--only") && i + 1 < args.length) {
                only = Set.of(args[++i].split(","));
            } else {
                throw new IllegalArgumentException("unknown argument '" + args[i]
                        + "'; usage: EngineBench [--quick] [--no-dl4j] [--data DIR] [--nets DIR] [--only NAME,...]");
            }
        }
        sgemm(2048);
        Engine engine = BenchEngines.create();
        System.out.println("threads " + engine.threads() + " count");
        System.out.println("conv " + engine.conv().name() + " backend");
        int trainCnn = quick ? 6400 : 25600;
        int trainRes = quick ? 1280 : 6400;
        int trainRes20 = quick ? 640 : 2560;
        Tensor train = images(data, "train", Math.max(trainCnn, trainRes));
        int[] trainLabels = labels(data, "train", train.dim(0));
        Tensor test = images(data, "t10k", 10_000);
        int[] testLabels = labels(data, "t10k", test.dim(0));
        Predicate<String> wanted = only == null ? name -> true : only::contains;
        if (wanted.test("cnn-small")) {
            bench(engine, "cnn-small", train, trainLabels, trainCnn, test, testLabels);
        }
        if (wanted.test("resnet-8")) {
            bench(engine, "resnet-8", train, trainLabels, trainRes, test, testLabels);
        }
        if (wanted.test("resnet-20")) {
            bench(engine, "resnet-20", ModelZoo.build("resnet-20", InputShape.GREY_28, 0), train, trainLabels,
                    trainRes20, test, testLabels);
        }
        if (wanted.test("resnet-20.3x32x32")) {
            InputShape rgb = new InputShape(3, 32, 32, 10);
            Tensor rgbTrain = random(rgb, trainRes20, 2);
            Tensor rgbTest = random(rgb, 10_000, 3);
            bench(engine, "resnet-20.3x32x32", ModelZoo.build("resnet-20", rgb, 0), rgbTrain, cycle(trainRes20),
                    trainRes20, rgbTest, cycle(10_000));
        }
        if (wanted.test("import")) {
            try (Stream<Path> files = Files.list(nets)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".onnx")).sorted().toList()) {
                    importTime(f, quick ? 3 : 7);
                }
            }
        }
        if (wanted.test("mobilenet")) {
            Network mobilenet = OnnxImporter.read(nets.resolve("mobilenet.onnx"), null, null).network();
            bench(engine, "mobilenet", mobilenet, train, trainLabels, trainRes, test, testLabels);
        }
        engine.close();
        System.out.println("peak.rss.engine " + peakRssMb() + " MB");
        if (dl4j) {
            benchDl4j("cnn-small", train, trainLabels, test, quick);
            benchDl4j("resnet-8", train, trainLabels, test, quick);
            System.out.println("peak.rss " + peakRssMb() + " MB");
        }
    }

    private static void bench(Engine engine, String arch, Tensor train, int[] trainLabels, int trainN, Tensor test,
                              int[] testLabels) {
        bench(engine, arch, ModelZoo.build(arch, 0), train, trainLabels, trainN, test, testLabels);
    }

    private static void bench(Engine engine, String arch, Network unbound, Tensor train, int[] trainLabels,
                              int trainN, Tensor test, int[] testLabels) {
        Network net = unbound.bind(engine);
        Tensor x = train.slice(0, trainN);
        int[] y = Arrays.copyOf(trainLabels, trainN);
        TrainConfig cfg = new TrainConfig(1, 128, 1e-3, OptimizerKind.ADAM);
        Trainer.train(net, x.slice(0, Math.min(trainN, 1280)), Arrays.copyOf(y, Math.min(trainN, 1280)),
                cfg, 1, EpochListener.NONE, StepHook.NONE);
        long t0 = System.nanoTime();
        Trainer.train(net, x, y, cfg, 0, EpochListener.NONE, StepHook.NONE);
        double dt = (System.nanoTime() - t0) / 1e9;
        System.out.printf("%s.train %.0f images/s%n", arch, trainN / dt);
        Evaluator.evaluate(net, test.slice(0, 1000), Arrays.copyOf(testLabels, 1000), 500);
        Evaluator.Evaluation e = Evaluator.evaluate(net, test, testLabels, 500);
        System.out.printf("%s.infer %.0f images/s%n", arch, e.count() / e.seconds());
        System.out.printf("%s.accuracy %.4f fraction%n", arch, e.accuracy());
    }

    /** Prints the median wall time of {@code reads} imports of {@code file} after one warm-up read. */
    private static void importTime(Path file, int reads) throws IOException {
        OnnxImporter.read(file, null, null);
        List<Double> ms = new ArrayList<>();
        for (int i = 0; i < reads; i++) {
            long t0 = System.nanoTime();
            OnnxImporter.read(file, null, null);
            ms.add((System.nanoTime() - t0) / 1e6);
        }
        ms.sort(null);
        String name = file.getFileName().toString().replace(".onnx", "");
        System.out.printf("%s.import %.1f ms%n", name, ms.get(reads / 2));
    }

    /** Uniform [0, 1) images of {@code shape}: throughput does not depend on the pixel values. */
    private static Tensor random(InputShape shape, int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n * shape.pixels()];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextDouble();
        }
        return new Tensor(x, shape.batchShape(n));
    }

    private static int[] cycle(int n) {
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 10;
        }
        return y;
    }

    private static void benchDl4j(String arch, Tensor x, int[] y, Tensor test, boolean quick) {
        long t0;
        double dt;
        ComputationGraph graph = Dl4jBridge.toDl4j(ModelZoo.build(arch, 0));
        int dlTrain = quick ? 256 : 1280;
        int dlInfer = quick ? 1000 : 2000;
        for (int pass = 0; pass < 2; pass++) {
            t0 = System.nanoTime();
            int count = pass == 0 ? 256 : dlTrain;
            for (int from = 0; from < count; from += 128) {
                int to = Math.min(count, from + 128);
                graph.fit(new DataSet(Nd4jArrays.array(x.slice(from, to)), oneHot(y, from, to)));
            }
            dt = (System.nanoTime() - t0) / 1e9;
            if (pass == 1) {
                System.out.printf("%s.dl4j.train %.0f images/s%n", arch, count / dt);
            }
        }
        for (int pass = 0; pass < 2; pass++) {
            t0 = System.nanoTime();
            int count = pass == 0 ? 500 : dlInfer;
            for (int from = 0; from < count; from += 500) {
                graph.outputSingle(Nd4jArrays.array(test.slice(from, Math.min(count, from + 500))));
            }
            dt = (System.nanoTime() - t0) / 1e9;
            if (pass == 1) {
                System.out.printf("%s.dl4j.infer %.0f images/s%n", arch, count / dt);
            }
        }
    }

    private static INDArray oneHot(int[] y, int from, int to) {
        INDArray o = Nd4j.zeros(DataType.FLOAT, to - from, 10);
        for (int i = from; i < to; i++) {
            o.putScalar(i - from, y[i], 1);
        }
        return o;
    }

    private static void sgemm(int n) {
        FloatBuffer a = direct(n * n);
        FloatBuffer b = direct(n * n);
        FloatBuffer c = direct(n * n);
        SplittableRandom r = new SplittableRandom(0);
        for (int i = 0; i < n * n; i++) {
            a.put(i, (float) r.nextDouble());
            b.put(i, (float) r.nextDouble());
        }
        openblas.cblas_sgemm(openblas.CblasRowMajor, openblas.CblasNoTrans, openblas.CblasNoTrans, n, n, n, 1f, a, n,
                b, n, 0f, c, n);
        long t0 = System.nanoTime();
        for (int i = 0; i < 5; i++) {
            openblas.cblas_sgemm(openblas.CblasRowMajor, openblas.CblasNoTrans, openblas.CblasNoTrans, n, n, n, 1f,
                    a, n, b, n, 0f, c, n);
        }
        double dt = (System.nanoTime() - t0) / 1e9 / 5;
        System.out.printf("sgemm%d %.1f GFLOP/s%n", n, 2.0 * n * n * n / dt / 1e9);
        INDArray x = Nd4j.rand(DataType.FLOAT, n, n);
        INDArray y = Nd4j.rand(DataType.FLOAT, n, n);
        x.mmul(y);
        t0 = System.nanoTime();
        for (int i = 0; i < 5; i++) {
            x.mmul(y);
        }
        dt = (System.nanoTime() - t0) / 1e9 / 5;
        System.out.printf("nd4j.mmul%d %.1f GFLOP/s%n", n, 2.0 * n * n * n / dt / 1e9);
    }

    private static FloatBuffer direct(int n) {
        return ByteBuffer.allocateDirect(n * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    private static long peakRssMb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
            }
        }
        return -1;
    }

    private static Tensor images(Path dir, String split, int n) throws IOException {
        Path f = dir.resolve(split + "-images-idx3-ubyte.gz");
        if (!Files.isReadable(f)) {
            System.err.println("no " + f + ": benchmarking on random images");
            SplittableRandom r = new SplittableRandom(1);
            float[] x = new float[n * 784];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) r.nextDouble();
            }
            return new Tensor(x, n, 1, 28, 28);
        }
        try (DataInputStream in = new DataInputStream(new GZIPInputStream(Files.newInputStream(f), 1 << 16))) {
            in.readInt();
            int count = Math.min(n, in.readInt());
            in.readInt();
            in.readInt();
            byte[] raw = in.readNBytes(count * 784);
            float[] x = new float[raw.length];
            for (int i = 0; i < raw.length; i++) {
                x[i] = (raw[i] & 0xff) / 255f;
            }
            return new Tensor(x, count, 1, 28, 28);
        }
    }

    private static int[] labels(Path dir, String split, int n) throws IOException {
        Path f = dir.resolve(split + "-labels-idx1-ubyte.gz");
        int[] y = new int[n];
        if (!Files.isReadable(f)) {
            for (int i = 0; i < n; i++) {
                y[i] = i % 10;
            }
            return y;
        }
        try (DataInputStream in = new DataInputStream(new GZIPInputStream(Files.newInputStream(f)))) {
            in.readInt();
            in.readInt();
            byte[] b = in.readNBytes(n);
            for (int i = 0; i < n; i++) {
                y[i] = b[i];
            }
        }
        return y;
    }
}
