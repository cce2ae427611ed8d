package org.ternsweep.bench;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Locale;
import org.bytedeco.openblas.global.openblas;

/**
 * One-thread {@code cblas_sgemm} speed of a conv's weight-gradient product in both orientations,
 * dW = dg·colᵀ ({@code [out, k]}) and dWᵀ = col·dgᵀ ({@code [k, out]}), over the chunk shapes of
 * resnet-8's convs at batch 128, timed by the thread's CPU clock (best of the repetitions). It is the
 * measurement behind {@code GemmConv}'s choice of orientation (docs/BENCHMARKS.md, "Engine round 3").
 * Argument: repetitions (default 10).
 */
public final class SgemmOrientation {
    /** name, output channels, column height k, columns per chunk, chunks per batch of 128. */
    private record Case(String name, int out, int k, int cols, int chunks) {
    }

    private static final Case[] CASES = {
        new Case("stem", 16, 9, 784 * 2, 64),
        new Case("block1.conv", 16, 144, 784 * 2, 64),
        new Case("block2.conv1", 32, 144, 196 * 9, 14),
        new Case("block2.shortcut", 32, 16, 196 * 128, 1),
        new Case("block2.conv2", 32, 288, 196 * 4, 32),
        new Case("block3.conv1", 64, 288, 49 * 18, 7),
        new Case("block3.shortcut", 64, 32, 49 * 128, 1),
        new Case("block3.conv2", 64, 576, 49 * 9, 14),
    };

    private SgemmOrientation() {
    }

    public static void main(String[] args) {
        int reps = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        openblas.blas_set_num_threads(1);
        for (Case c : CASES) {
            double direct = time(c.out(), c.k(), c.cols(), c.chunks(), reps);
            double transposed = time(c.k(), c.out(), c.cols(), c.chunks(), reps);
            double flop = 2.0 * c.out() * c.k() * c.cols() * c.chunks();
            System.out.printf(Locale.ROOT, "%-16s out %3d k %3d  dW=dg·colT %6.1f GFLOP/s  dWT=col·dgT %6.1f GFLOP/s%n",
                    c.name(), c.out(), c.k(), flop / direct, flop / transposed);
        }
    }

    /** Best CPU nanoseconds of {@code chunks} products {@code C[m,n] = A[m,inner]·B[n,inner]ᵀ}. */
    private static double time(int m, int n, int inner, int chunks, int reps) {
        FloatBuffer a = filled(m * inner);
        FloatBuffer b = filled(n * inner);
        FloatBuffer c = filled(m * n);
        var bean = ManagementFactory.getThreadMXBean();
        double best = Double.MAX_VALUE;
        for (int r = -2; r < reps; r++) {
            long t0 = bean.getCurrentThreadCpuTime();
            for (int i = 0; i < chunks; i++) {
                openblas.cblas_sgemm(openblas.CblasRowMajor, openblas.CblasNoTrans, openblas.CblasTrans, m, n, inner,
                        1f, a, inner, b, inner, 1f, c, n);
            }
            long dt = bean.getCurrentThreadCpuTime() - t0;
            if (r >= 0) {
                best = Math.min(best, dt);
            }
        }
        return best;
    }

    private static FloatBuffer filled(int n) {
        FloatBuffer f = ByteBuffer.allocateDirect(n * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
        for (int i = 0; i < n; i++) {
            f.put(i, (float) Math.sin(i));
        }
        return f;
    }
}
