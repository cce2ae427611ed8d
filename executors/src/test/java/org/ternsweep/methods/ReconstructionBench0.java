package org.ternsweep.methods;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.linalg.factory.Nd4j;
import org.ternsweep.nn.Activation;
import org.ternsweep.nn.Dense;
import org.ternsweep.nn.Tensor;
import org.ternsweep.quant.Granularity;
import org.ternsweep.quant.Operators;

/** Timing helper for {@link org.ternsweep.bench.ReconstructionBench}, here for package access. */
public final class ReconstructionBench0 {
    private ReconstructionBench0() {
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
        Dense d = new Dense("fc", Nd4j.create(w, new long[] {nIn, nOut}, 'c'), null, Activation.RELU);
        Tensor inputs = new Tensor(x, 1024, nIn);
        Tensor target = Activations.activatedOutput(d, inputs);
        SoftRounding sr = new SoftRounding("fc", w, Operators.create("mquant", Map.of())
                .fit(d.weight().value(), Granularity.PER_CHANNEL, 1));
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
}
