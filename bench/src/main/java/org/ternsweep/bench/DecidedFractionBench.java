package org.ternsweep.bench;

import java.nio.file.Path;
import java.util.List;
import org.ternsweep.engine.Engine;
import org.ternsweep.methods.ReconstructionTimings;

/**
 * How many AdaRound roundings end decided (h(V) at 0 or 1) on a real cnn-small layer at the cpu preset's
 * 2 000 iterations, for Adam learning rates 1e-3 and 1e-2: the measurement behind the cpu preset's lr.
 * A main class, not a test. Arguments: iterations (default 2000), Fashion-MNIST directory (default
 * {@code /usr/share/datasets/fashion-mnist}).
 */
public final class DecidedFractionBench {
    private DecidedFractionBench() {
    }

    public static void main(String[] args) throws Exception {
        int iterations = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        Path dir = Path.of(args.length > 1 ? args[1] : "/usr/share/datasets/fashion-mnist");
        try (Engine engine = BenchEngines.create()) {
            for (ReconstructionTimings.Decided d : ReconstructionTimings.cnnSmallDecided(dir, List.of("conv2", "fc1"),
                    new double[] {1e-3, 1e-2}, iterations, engine)) {
                System.out.printf("%s lr %.0e: %d learned, decided within 1e-3 %.1f %%, within 1e-2 %.1f %%"
                        + " (%.2f ms/step)%n", d.layer(), d.lr(), d.learned(), 100 * d.within1e3(),
                        100 * d.within1e2(), d.ms());
            }
        }
    }
}
