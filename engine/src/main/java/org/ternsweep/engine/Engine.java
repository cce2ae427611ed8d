package org.ternsweep.engine;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;
import org.bytedeco.openblas.global.openblas;

/**
 * What layers run on: a thread budget (the threads the Java loops of the layers and the convolution
 * chunks use) and a {@link ConvBackend}. A {@link Network} is {@linkplain Network#bind bound} to one
 * engine, and every layer of it runs on that engine; the runner makes one per cell from the cell's
 * thread count and the run's backend, so cells sharing a JVM never share or reset each other's threads.
 *
 * <p>With one thread the loops run on the calling thread; with more, on a fork-join pool of exactly that
 * many workers, owned by this engine and shut down by {@link #close}. Results do not depend on the thread
 * count: loop bodies write disjoint regions, reductions run in a fixed order, and convolutions split their
 * images into chunks that depend only on the shapes. That holds at one OpenBLAS thread: OpenBLAS's own
 * multi-threaded split of a product may round differently, and with several engine threads each chunk runs
 * its own product on its own thread anyway, so a process running the engine on more than one thread calls
 * {@link #pinOpenBlasToOneThread} once.
 */
public final class Engine implements AutoCloseable {
    /** Below this much work (in floats touched) splitting a loop costs more than it saves. */
    private static final long MIN_WORK = 1 << 15;

    private final int threads;
    private final ConvBackend conv;
    /** The workers when {@code threads > 1}, else null. */
    private final ForkJoinPool pool;

    /**
     * An engine running layers on {@code threads} threads and convolutions on {@code conv}.
     *
     * @throws IllegalArgumentException if {@code threads < 1} or {@code conv} is null
     */
    public Engine(int threads, ConvBackend conv) {
        if (threads < 1) {
            throw new IllegalArgumentException("engine threads must be >= 1, got " + threads
                    + "; pass the number of cores the task may use");
        }
        if (conv == null) {
            throw new IllegalArgumentException("an engine needs a convolution backend (GemmConv or DnnlConv)");
        }
        this.threads = threads;
        this.conv = conv;
        this.pool = threads == 1 ? null : new ForkJoinPool(threads);
    }

    /** The number of threads the layers' loops use. */
    public int threads() {
        return threads;
    }

    /** The convolution backend. */
    public ConvBackend conv() {
        return conv;
    }

    /**
     * Sets OpenBLAS to one thread, process-wide (OpenBLAS has one thread count per process), unless it
     * already runs one. Call it once, before running an engine with more than one thread: the engine's
     * workers and OpenBLAS's own spinning threads on the same cores oversubscribe them on the many small
     * products of a conv net, and OpenBLAS's split may round differently. A library that sets OpenBLAS's
     * thread count when it loads (ND4J's CPU backend does) must be loaded before this call.
     */
    public static void pinOpenBlasToOneThread() {
        if (openblas.blas_get_num_threads() != 1) {
            openblas.blas_set_num_threads(1);
        }
    }

    /**
     * Calls {@code body} for 0..n-1, on this engine's threads when {@code n·workPerItem} is large enough
     * to be worth splitting, else in order on the calling thread. The bodies must be independent (write
     * disjoint regions); a caller that reduces does so afterwards, in a fixed order.
     *
     * @throws IllegalStateException if this engine was closed
     */
    public void forEach(int n, long workPerItem, IntConsumer body) {
        if (pool == null || n < 2 || (long) n * workPerItem < MIN_WORK) {
            for (int i = 0; i < n; i++) {
                body.accept(i);
            }
            return;
        }
        try {
            pool.submit(() -> IntStream.range(0, n).parallel().forEach(body)).join();
        } catch (RejectedExecutionException e) {
            throw new IllegalStateException("the engine (" + threads + " threads) was closed; bind the network to"
                    + " an open engine", e);
        }
    }

    /**
     * Runs {@code body} for tasks 0..tasks-1, each on its own thread when there is more than one (the
     * caller splits its work so that tasks write disjoint regions or their own partial results).
     */
    public void tasks(int tasks, IntConsumer body) {
        forEach(tasks, MIN_WORK, body);
    }

    /** Shuts the worker pool down (tasks already running finish); the engine runs nothing afterwards. */
    @Override
    public void close() {
        if (pool != null) {
            pool.shutdown();
        }
    }

    @Override
    public String toString() {
        return "Engine[" + threads + " threads, " + conv.name() + "]";
    }
}
