package org.ternsweep.engine;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicReference;
import org.bytedeco.openblas.global.openblas;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The engine's thread setting: how many threads the Java loops of the layers (im2col, col2im, per-image
 * bias, BatchNorm, pooling) run on. OpenBLAS's own thread count is set separately (ND4J's
 * {@code blas().setMaxThreads}); an executor pins both to the cell's thread budget, so two cells sharing
 * a machine do not each spread over every core.
 *
 * <p>Why static: like OpenBLAS's thread count, which it mirrors, this is a JVM-wide setting, and the
 * layers reach it from deep inside forward and backward without a context to carry it. The default is
 * every available core, on the common fork-join pool (the engine's behaviour before the setting existed).
 * Other values run the loops on a pool of exactly that many workers, created once per setting. Results
 * do not depend on the setting: loop bodies write disjoint regions and reductions run in a fixed order.
 *
 * <p>With more than one engine thread, convolutions split their image chunks between the threads, each
 * running its own one-thread sgemm, so OpenBLAS is set to one thread JVM-wide ({@link #setThreads} does it,
 * and so does the first such conv under the default setting); with one engine thread OpenBLAS keeps the
 * thread count it was given. At one OpenBLAS thread results are bitwise the same for every engine thread
 * count; OpenBLAS's own multi-threaded split may round differently.
 */
public final class Engine {
    private static final AtomicReference<Setting> SETTING =
            new AtomicReference<>(new Setting(Runtime.getRuntime().availableProcessors(), null));

    private Engine() {
    }

    /** The thread count and, unless it is the default, the pool of that many workers. */
    private record Setting(int threads, ForkJoinPool pool) {
    }

    /**
     * Sets how many threads the engine's loops use from now on, JVM-wide (1 runs them on the calling
     * thread). Call it once per task, after the BLAS thread setting: more than one thread also sets
     * OpenBLAS to one thread, since the engine then runs its products on its own threads.
     *
     * @throws IllegalArgumentException if {@code threads < 1}
     */
    public static void setThreads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("engine threads must be >= 1, got " + threads
                    + "; pass the number of cores the task may use");
        }
        if (threads > 1) {
            pinBlasToOneThread();
        }
        Setting current = SETTING.get();
        if (current.threads() == threads) {
            return;
        }
        ForkJoinPool pool = threads == 1 || threads == Runtime.getRuntime().availableProcessors()
                ? null : new ForkJoinPool(threads);
        Setting previous = SETTING.getAndSet(new Setting(threads, pool));
        if (previous.pool() != null) {
            previous.pool().shutdown();
        }
    }

    /** The number of threads the engine's loops use. */
    public static int threads() {
        return SETTING.get().threads();
    }

    /**
     * Sets OpenBLAS to one thread unless it already runs one. Layers call it before running their
     * matrix products on more than one engine thread at once, each product on its own thread: two
     * pools on the same cores (the engine's workers and OpenBLAS's own spinning threads) oversubscribe
     * them on the many small products of a conv net (measured on 2 cores: resnet-8 training at 615
     * img/s with two OpenBLAS threads against 959 with one, BENCHMARKS.md engine round 3).
     * Package-private: the layers and tests call it; executors go through {@link #setThreads}.
     */
    static void pinBlasToOneThread() {
        // ND4J's CPU backend sets OpenBLAS's thread count when it loads: load it first, so that it
        // cannot undo this setting later
        Nd4j.getBackend();
        if (openblas.blas_get_num_threads() != 1) {
            openblas.blas_set_num_threads(1);
        }
    }

    /**
     * How convolutions are computed. {@code DNNL}: oneDNN's JIT kernels on blocked layouts (the default, and
     * the fast one: docs/BENCHMARKS.md round 6); {@code GEMM}: the engine's own im2col + OpenBLAS sgemm,
     * used where oneDNN does not load and kept as an independent reference for the tests. Both agree with
     * stock DL4J to 1e-4 relative; they round differently, so a sweep records which one ran.
     */
    public enum ConvBackend {
        DNNL, GEMM;

        /** Parses {@code dnnl} or {@code gemm} (any case) for the {@value #PROPERTY} system property. */
        static ConvBackend parse(String value) {
            for (ConvBackend b : values()) {
                if (b.name().equalsIgnoreCase(value.trim())) {
                    return b;
                }
            }
            throw new IllegalArgumentException("system property " + PROPERTY + "=" + value
                    + " is not a convolution backend; allowed: dnnl, gemm");
        }

        /** The system property that picks the backend at start-up. */
        public static final String PROPERTY = "ternsweep.conv";
    }

    private static final AtomicReference<ConvBackend> CONV = new AtomicReference<>(
            ConvBackend.parse(System.getProperty(ConvBackend.PROPERTY, "dnnl")));
    private static final System.Logger LOG = System.getLogger(Engine.class.getName());
    private static final java.util.concurrent.atomic.AtomicBoolean WARNED =
            new java.util.concurrent.atomic.AtomicBoolean();

    /** Picks the convolution backend from now on, JVM-wide (tests compare the two). */
    public static void setConvBackend(ConvBackend backend) {
        if (backend == null) {
            throw new IllegalArgumentException("convolution backend must be dnnl or gemm, not null");
        }
        CONV.set(backend);
    }

    /**
     * The backend convolutions actually use: the one set, except that {@code DNNL} falls back to
     * {@code GEMM} (with one warning naming the reason) where oneDNN cannot be loaded.
     */
    public static ConvBackend convBackend() {
        return useDnnl() ? ConvBackend.DNNL : ConvBackend.GEMM;
    }

    static boolean useDnnl() {
        if (CONV.get() != ConvBackend.DNNL) {
            return false;
        }
        if (DnnlConv.available()) {
            return true;
        }
        if (WARNED.compareAndSet(false, true)) {
            LOG.log(System.Logger.Level.WARNING, "oneDNN did not load (" + DnnlConv.unavailableReason()
                    + "); convolutions use im2col + sgemm, about 3x slower in training");
        }
        return false;
    }

    /** The pool to run parallel loops on, or null for the common pool. */
    static ForkJoinPool pool() {
        return SETTING.get().pool();
    }
}
