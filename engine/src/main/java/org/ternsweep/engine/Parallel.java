package org.ternsweep.engine;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;

/**
 * Runs independent per-image (or per-plane) loop bodies on {@link Engine#threads()} threads, so the
 * Java parts of a layer use the cores OpenBLAS uses for the matrix products. Bodies write disjoint
 * regions; reductions are done by the caller afterwards in a fixed order, so results are bitwise
 * identical whatever the thread count.
 */
final class Parallel {
    /** Below this much work (in floats touched) splitting costs more than it saves. */
    private static final long MIN_WORK = 1 << 15;

    private Parallel() {
    }

    /** Calls {@code body} for 0..n-1, in parallel when {@code n·workPerItem} is large enough. */
    static void forEach(int n, long workPerItem, IntConsumer body) {
        if (n > 1 && (long) n * workPerItem >= MIN_WORK && Engine.threads() > 1) {
            ForkJoinPool pool = Engine.pool();
            if (pool == null || ForkJoinPool.commonPool() == pool) {
                IntStream.range(0, n).parallel().forEach(body);
                return;
            }
            try {
                pool.submit(() -> IntStream.range(0, n).parallel().forEach(body)).join();
                return;
            } catch (RejectedExecutionException e) {
                // the setting changed and this pool was shut down between reading it and submitting:
                // run the loop here, which gives the same result
                sequential(n, body);
                return;
            }
        }
        sequential(n, body);
    }

    /**
     * Runs {@code body} for tasks 0..tasks-1, each on its own engine thread when there is more than one
     * (the caller splits its work so that tasks write disjoint regions or their own partial results).
     */
    static void tasks(int tasks, IntConsumer body) {
        forEach(tasks, MIN_WORK, body);
    }

    private static void sequential(int n, IntConsumer body) {
        for (int i = 0; i < n; i++) {
            body.accept(i);
        }
    }
}
