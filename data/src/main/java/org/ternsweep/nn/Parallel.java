package org.ternsweep.nn;

import java.util.function.IntConsumer;
import java.util.stream.IntStream;

/**
 * Runs independent per-image (or per-plane) loop bodies on the common fork-join pool, so the Java
 * parts of a layer use the cores OpenBLAS uses for the matrix products. Bodies write disjoint
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
        if (n > 1 && (long) n * workPerItem >= MIN_WORK) {
            IntStream.range(0, n).parallel().forEach(body);
        } else {
            for (int i = 0; i < n; i++) {
                body.accept(i);
            }
        }
    }
}
