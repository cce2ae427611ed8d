package org.ternsweep.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.LongSupplier;
import org.ternsweep.engine.Engine;
import org.ternsweep.engine.Layer;
import org.ternsweep.engine.Network;
import org.ternsweep.engine.Tensor;
import org.ternsweep.models.ModelZoo;
import org.ternsweep.models.onnx.OnnxImporter;

/**
 * Milliseconds per batch spent in each layer of a zoo network, forward in inference mode on the
 * BN-folded network (batch 500) and forward plus backward in training mode (batch 128), on random
 * images: shows where the engine's time goes, to pick what to speed up. Arguments: architecture
 * (default {@code cnn-small}) or an ONNX file of 1×28×28 input without residual adds (e.g.
 * {@code nets/mobilenet.onnx}), repetitions (default 20) and optionally {@code --single}: one engine and
 * one BLAS thread, timed by the thread's CPU time, which other jobs on a shared machine barely disturb
 * (use it to compare two versions of a layer), or {@code --engine1}: one engine thread. Otherwise the
 * engine runs on every core, OpenBLAS on one thread (as in a sweep). Layers inside residual blocks are
 * timed as their block.
 */
public final class LayerProfile {
    private LayerProfile() {
    }

    public static void main(String[] args) {
        String arch = args.length > 0 ? args[0] : ModelZoo.CNN_SMALL;
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        boolean single = args.length > 2 && args[2].equals("--single");
        boolean oneEngineThread = single || args.length > 2 && args[2].equals("--engine1");
        LongSupplier clock = single ? ManagementFactory.getThreadMXBean()::getCurrentThreadCpuTime : System::nanoTime;
        try (Engine engine = oneEngineThread ? BenchEngines.create(1) : BenchEngines.create()) {
            Network net = (arch.endsWith(".onnx") ? imported(arch) : ModelZoo.build(arch, 0)).bind(engine);
            profile("infer", net.foldBatchNorm(), 500, reps, false, clock);
            profile("train", net, 128, reps, true, clock);
        }
    }

    /** An imported chain of layers (no residual adds: the layers are replayed one after another). */
    private static Network imported(String file) {
        try {
            return OnnxImporter.read(Path.of(file), null, null).network();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void profile(String label, Network net, int batch, int reps, boolean training,
                                LongSupplier clock) {
        List<Layer> layers = new ArrayList<>();
        for (var s : net.stages()) {
            if (s instanceof Layer l) {
                layers.add(l);
            } else {
                layers.addAll(s.layers());
            }
        }
        SplittableRandom r = new SplittableRandom(1);
        float[] x = new float[batch * 784];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextDouble();
        }
        double[] fwd = new double[layers.size()];
        double[] bwd = new double[layers.size()];
        for (int rep = -3; rep < reps; rep++) {
            Tensor t = new Tensor(x.clone(), batch, 1, 28, 28);
            for (int i = 0; i < layers.size(); i++) {
                long t0 = clock.getAsLong();
                t = layers.get(i).forward(t, training);
                if (rep >= 0) {
                    fwd[i] += (clock.getAsLong() - t0) / 1e6;
                }
            }
            if (training) {
                Tensor g = new Tensor(new float[t.size()], t.shape());
                java.util.Arrays.fill(g.data(), 1f / t.size());
                for (int i = layers.size() - 1; i >= 0; i--) {
                    long t0 = clock.getAsLong();
                    g = layers.get(i).backward(g, i > 0);
                    if (rep >= 0) {
                        bwd[i] += (clock.getAsLong() - t0) / 1e6;
                    }
                }
            }
        }
        double total = 0;
        for (int i = 0; i < layers.size(); i++) {
            total += fwd[i] + bwd[i];
        }
        for (int i = 0; i < layers.size(); i++) {
            System.out.printf(Locale.ROOT, "%s %-14s fwd %7.2f ms  bwd %7.2f ms  %5.1f%%%n", label,
                    layers.get(i).name(), fwd[i] / reps, bwd[i] / reps, 100 * (fwd[i] + bwd[i]) / total);
        }
        System.out.printf(Locale.ROOT, "%s total %.2f ms/batch, %.0f images/s%n", label, total / reps,
                batch * reps / (total / 1e3));
    }
}
