package org.ternsweep.models;

import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOps;
import org.nd4j.nativeblas.NativeOpsHolder;
import org.ternsweep.engine.ConvBackends;
import org.ternsweep.engine.Engine;
import org.ternsweep.engine.OmpThreads;

/**
 * Engines for a process that holds ND4J and the engine together (the runner, the benchmarks, the tests):
 * oneDNN's OpenMP is pinned through ND4J's native ops, and OpenBLAS's thread count is set after ND4J has
 * set its own.
 */
public final class Nd4jEngines {
    private Nd4jEngines() {
    }

    /**
     * The calling thread's OpenMP thread count through ND4J's native ops. Creating one loads ND4J's native
     * library, and with it the process's libgomp, before oneDNN loads: oneDNN then runs on that same runtime,
     * which this controls.
     */
    public static final class Omp implements OmpThreads {
        private final NativeOps ops;

        /** Loads ND4J's backend (which configures the native ops NativeOpsHolder reads) and its native ops. */
        public Omp() {
            Nd4j.getBackend();
            ops = NativeOpsHolder.getInstance().getDeviceNativeOps();
        }

        @Override
        public int get() {
            return ops.ompGetMaxThreads();
        }

        @Override
        public void set(int threads) {
            ops.setOmpNumThreads(threads);
        }
    }

    /**
     * An engine on {@code threads} threads with the convolution backend named {@code convBackend} ({@code dnnl},
     * falling back to {@code gemm} where oneDNN does not load, or {@code gemm}); close it when done.
     *
     * @throws IllegalArgumentException if the backend name is unknown or {@code threads < 1}
     */
    public static Engine create(int threads, String convBackend) {
        return new Engine(threads, ConvBackends.named(convBackend, new Omp()));
    }

    /**
     * Sets OpenBLAS to one thread, process-wide (see {@link Engine#pinOpenBlasToOneThread}), after loading
     * ND4J's backend, which sets OpenBLAS's thread count when it loads and would otherwise undo this later.
     */
    public static void pinOpenBlasToOneThread() {
        Nd4j.getBackend();
        Engine.pinOpenBlasToOneThread();
    }
}
