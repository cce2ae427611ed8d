package org.ternsweep.methods;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.ternsweep.catalog.Catalog;
import org.ternsweep.catalog.ReconstructionOptions;
import org.ternsweep.data.Dataset;
import org.ternsweep.data.DatasetLoader;
import org.ternsweep.data.DatasetSpec;
import org.ternsweep.engine.Activation;
import org.ternsweep.engine.Dense;
import org.ternsweep.engine.Engine;
import org.ternsweep.engine.Network;
import org.ternsweep.engine.Stage;
import org.ternsweep.engine.Tensor;
import org.ternsweep.engine.WeightLayer;
import org.ternsweep.models.EpochListener;
import org.ternsweep.models.ModelZoo;
import org.ternsweep.models.Nd4jArrays;
import org.ternsweep.models.OptimizerKind;
import org.ternsweep.models.StepHook;
import org.ternsweep.models.TrainConfig;
import org.ternsweep.models.Trainer;
import org.ternsweep.quant.Granularity;
import org.ternsweep.runner.Registry;

/**
 * Timings of the reconstruction loop for {@link org.ternsweep.bench.ReconstructionBench} and
 * {@link org.ternsweep.bench.DecidedFractionBench}: in the bench module but in package
 * {@code org.ternsweep.methods}, for access to the package-private loop ({@code Reconstruction}).
 */
public final class ReconstructionTimings {
    private ReconstructionTimings() {
    }

    /**
     * Mean wall and process-CPU milliseconds per step (CPU time is steadier on a shared machine) and a hash of the final rounding variables (so a speed change can be
     * checked to leave the results bitwise unchanged).
     */
    public record Timing(double millisPerStep, double cpuMillisPerStep, int vHash) {
    }

    /** Times {@code steps} reconstruction steps of a dense nIn×nOut layer with {@code rows} rows per step. */
    public static Timing denseStep(int nIn, int nOut, int rows, int steps) {
        SplittableRandom r = new SplittableRandom(1);
        float[] w = new float[nIn * nOut];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (r.nextGaussian() / Math.sqrt(nIn));
        }
        float[] x = new float[1024 * nIn];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) Math.abs(r.nextGaussian());
        }
        Dense d = new Dense("fc", new Tensor(w, nIn, nOut), null, Activation.RELU);
        Tensor inputs = new Tensor(x, 1024, nIn);
        Tensor target = Activations.activatedOutput(d, inputs);
        SoftRounding sr = new SoftRounding("fc", w, Registry.operator("mquant", Map.of())
                .fit(Nd4jArrays.value(d.weight()), Granularity.PER_CHANNEL, 1));
        ReconstructionOptions warm = new ReconstructionOptions(5, rows, 1024, 0.01, 1e-3, ReconstructionOptions.Loss.MSE);
        Reconstruction.run(ReconstructionBlock.layer(d), List.of(d), List.of(sr), inputs, target, null, warm, 1);
        ReconstructionOptions opt = new ReconstructionOptions(steps, rows, 1024, 0.01, 1e-3, ReconstructionOptions.Loss.MSE);
        com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean)
                java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        long c0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        Reconstruction.run(ReconstructionBlock.layer(d), List.of(d), List.of(sr), inputs, target, null, opt, 2);
        double ms = (System.nanoTime() - t0) / 1e6 / steps;
        double cpu = (os.getProcessCpuTime() - c0) / 1e6 / steps;
        return new Timing(ms, cpu, java.util.Arrays.hashCode(sr.v()));
    }

    /** The share of decided roundings of one layer after a reconstruction at one learning rate. */
    public record Decided(String layer, double lr, int learned, double within1e3, double within1e2, double ms) {
    }

    /**
     * Trains cnn-small (model seed 0) for 2 epochs on the first 3 000 Fashion-MNIST training images, then
     * reconstructs each named layer alone (mquant per-channel, float inputs, 1 024 calibration images,
     * {@code iterations} steps at batch 32 and the catalog's default reg) once per learning rate, and reports
     * the share of learned roundings with h(V) within 1e-3 and 1e-2 of 0 or 1, running on {@code engine}.
     */
    public static List<Decided> cnnSmallDecided(Path fashionMnist, List<String> layerNames, double[] lrs,
                                                int iterations, Engine engine) throws Exception {
        Dataset data = DatasetLoader.load(DatasetSpec.FASHION_MNIST, fashionMnist).subset(3000, 100);
        Network net = ModelZoo.build(ModelZoo.CNN_SMALL, 0).bind(engine);
        Tensor images = new Tensor(data.trainImages(), data.shape().batchShape(3000));
        Trainer.train(net, images, data.trainLabels(), new TrainConfig(2, 64, 1e-3, OptimizerKind.ADAM), 0,
                EpochListener.NONE, StepHook.NONE);
        double reg = Catalog.ADAROUND.defaults().reg();
        int[] calib = new int[1024];
        for (int i = 0; i < calib.length; i++) {
            calib[i] = i;
        }
        Tensor calibImages = Nd4jArrays.tensor(data.trainBatch(calib));
        List<Decided> out = new ArrayList<>();
        for (String name : layerNames) {
            for (double lr : lrs) {
                Network copy = net.copy();
                Tensor act = calibImages;
                for (Stage stage : copy.stages()) {
                    for (WeightLayer l : stage.weightLayers()) {
                        if (l.name().equals(name)) {
                            Tensor x = Activations.layerInput(stage, l, act);
                            Tensor target = Activations.activatedOutput(l, x);
                            SoftRounding sr = new SoftRounding(name, l.weight().valueFloats().clone(),
                                    Registry.operator("mquant", Map.of()).fit(Nd4jArrays.value(l.weight()),
                                            Granularity.PER_CHANNEL, l.outputAxis()));
                            ReconstructionOptions opt = new ReconstructionOptions(iterations, 32, 1024, reg, lr,
                                    ReconstructionOptions.Loss.MSE);
                            long t0 = System.nanoTime();
                            Reconstruction.run(ReconstructionBlock.layer(l), List.of(l), List.of(sr), x, target,
                                    null, opt, 0);
                            double ms = (System.nanoTime() - t0) / 1e6 / iterations;
                            out.add(new Decided(name, lr, sr.learnedCount(), sr.fractionDecided(1e-3),
                                    sr.fractionDecided(1e-2), ms));
                        }
                    }
                    act = Activations.stageOutput(stage, act);
                }
            }
        }
        return out;
    }
}
