package org.ternsweep.engine;

import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOps;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * Engines for the tests: either backend, on a given number of threads. oneDNN's OpenMP is pinned through
 * ND4J's native ops, the way the runner does it (org.ternsweep.models.Nd4jThreads); the engine itself has no
 * OpenMP binding, and ND4J is a test-only dependency here.
 */
final class TestEngines {
    private TestEngines() {
    }

    /** The calling thread's OpenMP count through ND4J, which loads the process's libgomp before oneDNN. */
    static final class Nd4jOmp implements OmpThreads {
        private final NativeOps ops;

        Nd4jOmp() {
            Nd4j.getBackend(); // configures the native ops, which NativeOpsHolder reads
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

    /** The named backend ({@code dnnl} or {@code gemm}). */
    static ConvBackend backend(String name) {
        return switch (name) {
            case DnnlConv.NAME -> new DnnlConv(new Nd4jOmp());
            case GemmConv.NAME -> new GemmConv();
            default -> throw new IllegalArgumentException("no backend " + name);
        };
    }

    /** An engine on {@code threads} threads with the named backend. */
    static Engine engine(String backend, int threads) {
        return new Engine(threads, backend(backend));
    }

    /** The tests' default engine: oneDNN on two threads, shared by the tests (never closed). */
    static final Engine STANDARD = engine(DnnlConv.NAME, 2);

    /** {@code layer} bound to the standard engine. */
    static <L extends Layer> L bound(L layer) {
        layer.bind(STANDARD);
        return layer;
    }
}
