package org.ternsweep.bench;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.ternsweep.engine.Engine;
import org.ternsweep.engine.Network;
import org.ternsweep.engine.ReLU;
import org.ternsweep.engine.ResidualBlock;
import org.ternsweep.engine.Stage;
import org.ternsweep.engine.Tensor;
import org.ternsweep.models.ModelZoo;

/**
 * Milliseconds per training batch (128 random images) in each sub-layer of a zoo network's residual
 * blocks, forward and backward, replaying each block's data flow one sub-layer at a time (the residual
 * sums timed as "sum"): where {@link LayerProfile} shows a block, this shows its convs, BatchNorms and
 * ReLUs (ReLU forward here writes a new array where the block reuses its input). Arguments: architecture
 * (default {@code resnet-8}), repetitions (default 20).
 */
public final class BlockProfile {
    private BlockProfile() {
    }

    public static void main(String[] args) {
        String arch = args.length > 0 ? args[0] : ModelZoo.RESNET_8;
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        try (Engine engine = BenchEngines.create()) {
            profile(ModelZoo.build(arch, 0).bind(engine), reps);
        }
    }

    private static void profile(Network net, int reps) {
        int batch = 128;
        SplittableRandom r = new SplittableRandom(1);
        float[] x = new float[batch * 784];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextDouble();
        }
        Map<String, double[]> times = new LinkedHashMap<>();
        double total = 0;
        for (int rep = -3; rep < reps; rep++) {
            Timer tm = new Timer(times, rep >= 0);
            long start = System.nanoTime();
            Tensor t = new Tensor(x.clone(), batch, 1, 28, 28);
            for (Stage s : net.stages()) {
                Tensor in = t;
                t = s instanceof ResidualBlock b ? forward(b, in, tm) : tm.fwd(s.name(), () -> s.forward(in, true));
            }
            Tensor g = new Tensor(new float[t.size()], t.shape());
            java.util.Arrays.fill(g.data(), 1f / t.size());
            for (int i = net.stages().size() - 1; i >= 0; i--) {
                Stage s = net.stages().get(i);
                Tensor gi = g;
                boolean in = i > 0;
                g = s instanceof ResidualBlock b ? backward(b, g, in, tm) : tm.bwd(s.name(), () -> s.backward(gi, in));
            }
            if (rep >= 0) {
                total += (System.nanoTime() - start) / 1e6;
            }
        }
        double sum = 0;
        for (double[] v : times.values()) {
            sum += v[0] + v[1];
        }
        for (var e : times.entrySet()) {
            System.out.printf(Locale.ROOT, "%-22s fwd %6.2f ms  bwd %6.2f ms  %5.1f%%%n", e.getKey(),
                    e.getValue()[0] / reps, e.getValue()[1] / reps, 100 * (e.getValue()[0] + e.getValue()[1]) / sum);
        }
        System.out.printf(Locale.ROOT, "timed sum %.2f ms/batch; wall %.2f ms/batch, %.0f images/s%n", sum / reps,
                total / reps, batch * reps / (total / 1e3));
    }

    private static Tensor forward(ResidualBlock b, Tensor x, Timer tm) {
        String n = b.name() + ".";
        Tensor a = tm.fwd(n + "conv1", () -> b.conv1().forward(x, true));
        Tensor a1 = tm.fwd(n + "bn1", () -> b.bn1().forward(a, true));
        ReLU relu1 = (ReLU) b.layers().get(2);
        Tensor a2 = tm.fwd(n + "relu1", () -> relu1.forward(a1, true));
        Tensor c = tm.fwd(n + "conv2", () -> b.conv2().forward(a2, true));
        Tensor c1 = tm.fwd(n + "bn2", () -> b.bn2().forward(c, true));
        Tensor s = b.shortcut() == null ? x : tm.fwd(n + "shortcut", () -> b.shortcutBn().forward(
                b.shortcut().forward(x, true), true));
        tm.fwd(n + "sum", () -> {
            float[] bv = c1.data();
            float[] sv = s.data();
            for (int i = 0; i < bv.length; i++) {
                bv[i] += sv[i];
            }
            return c1;
        });
        ReLU relu = (ReLU) b.layers().get(b.layers().size() - 1);
        return tm.fwd(n + "relu", () -> relu.forward(c1, true));
    }

    private static Tensor backward(ResidualBlock b, Tensor go, boolean in, Timer tm) {
        String n = b.name() + ".";
        ReLU relu = (ReLU) b.layers().get(b.layers().size() - 1);
        ReLU relu1 = (ReLU) b.layers().get(2);
        Tensor g = tm.bwd(n + "relu", () -> relu.backward(go));
        Tensor g1 = tm.bwd(n + "bn2", () -> b.bn2().backward(g));
        Tensor g2 = tm.bwd(n + "conv2", () -> b.conv2().backward(g1));
        Tensor g3 = tm.bwd(n + "relu1", () -> relu1.backward(g2));
        Tensor g4 = tm.bwd(n + "bn1", () -> b.bn1().backward(g3));
        Tensor dx = tm.bwd(n + "conv1", () -> b.conv1().backward(g4, in));
        Tensor ds = b.shortcut() == null ? g : tm.bwd(n + "shortcut", () -> b.shortcut().backward(
                b.shortcutBn().backward(g), in));
        if (!in) {
            return null;
        }
        return tm.bwd(n + "sum", () -> {
            float[] d = dx.data();
            float[] e = ds.data();
            for (int i = 0; i < d.length; i++) {
                d[i] += e[i];
            }
            return dx;
        });
    }

    /** Adds each call's wall time to its row when recording. */
    private record Timer(Map<String, double[]> times, boolean record) {
        Tensor fwd(String name, java.util.function.Supplier<Tensor> f) {
            return time(name, 0, f);
        }

        Tensor bwd(String name, java.util.function.Supplier<Tensor> f) {
            return time(name, 1, f);
        }

        private Tensor time(String name, int slot, java.util.function.Supplier<Tensor> f) {
            long t0 = System.nanoTime();
            Tensor t = f.get();
            if (record) {
                times.computeIfAbsent(name, k -> new double[2])[slot] += (System.nanoTime() - t0) / 1e6;
            }
            return t;
        }
    }
}
