package org.ternsweep.bench;

import org.ternsweep.methods.ReconstructionTimings;

/**
 * Milliseconds per reconstruction step (forward, backward, soft-rounding gradient, Adam on V) for a dense
 * 256×512 layer on 1024 rows (all rows every step, as in the PyTorch reference case) and on batch 32.
 * Arguments: steps (default 30), and optionally one row count to time alone.
 * A main class, not a test: timings never decide a pass. Run with
 * {@code mvn -q -B -o -Pbench -pl bench -am package -DskipTests} and then
 * {@code java -cp bench/target/classes:$(cat bench/target/classpath.txt) org.ternsweep.bench.ReconstructionBench}.
 */
public final class ReconstructionBench {
    private ReconstructionBench() {
    }

    public static void main(String[] args) {
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        int[] rowCounts = args.length > 1 ? new int[] {Integer.parseInt(args[1])} : new int[] {1024, 32};
        for (int rows : rowCounts) {
            ReconstructionTimings.Timing t = ReconstructionTimings.denseStep(256, 512, rows, steps);
            System.out.printf("dense 256x512, %d rows per step: %.2f ms/step wall, %.2f ms/step process CPU"
                    + " (%d steps), V hash %08x%n", rows, t.millisPerStep(), t.cpuMillisPerStep(), steps, t.vHash());
        }
    }
}
