package org.ternsweep.bench;

import org.ternsweep.engine.ConvBackends;
import org.ternsweep.engine.Engine;
import org.ternsweep.models.Nd4jEngines;

/**
 * The engines the benchmarks run on: OpenBLAS at one thread, as the runner sets it, and the convolution
 * backend named by {@code -Dternsweep.conv} ({@code dnnl} by default, or {@code gemm}), so one benchmark
 * compares the backends by its command line.
 */
final class BenchEngines {
    /** The system property naming the convolution backend, as for {@code ternsweep run}. */
    static final String CONV_PROPERTY = "ternsweep.conv";

    private BenchEngines() {
    }

    /** An engine on every available core. */
    static Engine create() {
        return create(Runtime.getRuntime().availableProcessors());
    }

    /** An engine on {@code threads} threads; close it when done. */
    static Engine create(int threads) {
        Nd4jEngines.pinOpenBlasToOneThread();
        return Nd4jEngines.create(threads, System.getProperty(CONV_PROPERTY, ConvBackends.DEFAULT));
    }
}
