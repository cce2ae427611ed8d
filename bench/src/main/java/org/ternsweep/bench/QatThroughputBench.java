package org.ternsweep.bench;

import com.sun.management.OperatingSystemMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.ternsweep.core.Seeds;
import org.ternsweep.data.Dataset;
import org.ternsweep.data.InputShape;
import org.ternsweep.engine.Engine;
import org.ternsweep.engine.Network;
import org.ternsweep.engine.Tensor;
import org.ternsweep.methods.MethodInput;
import org.ternsweep.methods.QatMethod;
import org.ternsweep.methods.QuantPlan;
import org.ternsweep.models.EpochListener;
import org.ternsweep.models.ModelZoo;
import org.ternsweep.models.OptimizerKind;
import org.ternsweep.models.StepHook;
import org.ternsweep.models.TrainConfig;
import org.ternsweep.models.Trainer;
import org.ternsweep.quant.Granularity;
import org.ternsweep.quant.LayerScheme;
import org.ternsweep.runner.Registry;

/**
 * Training throughput (images/s, batch 128) of QAT ({@code mquant} per-channel, first/last int8, identity
 * STE, Adam) against float training with the zoo's {@link Trainer}, for cnn-small and resnet-8, plus the
 * process's peak resident memory (VmHWM). Images are uniform noise: throughput does not depend on pixel
 * values, and no dataset needs to be installed. Each measurement follows a warm-up run of the same code
 * (JIT). Besides wall-clock rates it reports images per process CPU second, which other processes on a
 * shared machine disturb far less. QAT's time includes its per-epoch test evaluation, kept negligible by a 128-image test split.
 *
 * <p>Run: {@code mvn -q -B -o -Pbench -pl bench -am package -DskipTests} then
 * {@code java -cp bench/target/classes:$(cat bench/target/classpath.txt) org.ternsweep.bench.QatThroughputBench
 * [images]}.
 */
public final class QatThroughputBench {
    private static final int BATCH = 128;

    private QatThroughputBench() {
    }

    public static void main(String[] args) throws IOException {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 20 * BATCH;
        Dataset data = noise(n, BATCH);
        QuantPlan plan = new QuantPlan(Registry.operator("mquant", Map.of()), Granularity.PER_CHANNEL,
                LayerScheme.INT8);
        System.out.printf(Locale.ROOT, "images %d, batch %d, threads %d%n", n, BATCH,
                Runtime.getRuntime().availableProcessors());
        try (Engine engine = BenchEngines.create()) {
            for (String arch : List.of(ModelZoo.CNN_SMALL, ModelZoo.RESNET_8)) {
                Network net = ModelZoo.build(arch, 0).bind(engine);
                floatRun(net, data, Math.max(2 * BATCH, n / 4));
                Rate fl = measure(n, () -> floatRun(net, data, n));
                qatRun(net, plan, data, Math.max(2 * BATCH, n / 4));
                Rate qat = measure(n, () -> qatRun(net, plan, data, n));
                System.out.printf(Locale.ROOT, "%-9s float %6.0f img/s (%6.0f img/cpu-s)   qat %6.0f img/s"
                        + " (%6.0f img/cpu-s)   qat/float %.2f wall, %.2f cpu   VmHWM %s%n", arch, fl.wall(), fl.cpu(),
                        qat.wall(), qat.cpu(), qat.wall() / fl.wall(), qat.cpu() / fl.cpu(), peakRss());
            }
        }
    }

    /** Images per wall second and per process CPU second (the latter is steadier on a shared machine). */
    private record Rate(double wall, double cpu) {
    }

    private static Rate measure(int images, Runnable run) {
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long c0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        run.run();
        double wall = (System.nanoTime() - t0) / 1e9;
        double cpu = (os.getProcessCpuTime() - c0) / 1e9;
        return new Rate(images / wall, images / cpu);
    }

    private static void floatRun(Network template, Dataset data, int images) {
        Network net = template.copy();
        double epochs = (double) images / data.trainSize();
        Tensor x = new Tensor(data.trainImages(), data.shape().batchShape(data.trainSize()));
        Trainer.train(net, x, data.trainLabels(), new TrainConfig(epochs, BATCH, 1e-3, OptimizerKind.ADAM), 0,
                EpochListener.NONE, StepHook.NONE);
    }

    private static void qatRun(Network template, QuantPlan plan, Dataset data, int images) {
        Registry.method(QatMethod.NAME, Map.of("epochs", (double) images / data.trainSize(), "batch", BATCH))
                .quantize(new MethodInput(template, plan, data, 0));
    }

    private static Dataset noise(int train, int test) {
        SplittableRandom rng = Seeds.stream(0, "bench-images");
        float[] tr = new float[train * InputShape.GREY_28.pixels()];
        float[] te = new float[test * InputShape.GREY_28.pixels()];
        for (int i = 0; i < tr.length; i++) {
            tr[i] = (float) rng.nextDouble();
        }
        for (int i = 0; i < te.length; i++) {
            te[i] = (float) rng.nextDouble();
        }
        int[] trY = new int[train];
        int[] teY = new int[test];
        for (int i = 0; i < train; i++) {
            trY[i] = rng.nextInt(InputShape.GREY_28.classes());
        }
        for (int i = 0; i < test; i++) {
            teY[i] = rng.nextInt(InputShape.GREY_28.classes());
        }
        return new Dataset("noise", tr, trY, te, teY, "0".repeat(64));
    }

    /** Peak resident set size of this process, from /proc/self/status (Linux). */
    private static String peakRss() throws IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.isReadable(status)) {
            return "n/a (no /proc/self/status)";
        }
        for (String line : Files.readAllLines(status, StandardCharsets.UTF_8)) {
            if (line.startsWith("VmHWM:")) {
                return line.substring("VmHWM:".length()).trim();
            }
        }
        return "n/a (no VmHWM line)";
    }
}
