package org.ternsweep.engine;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import org.bytedeco.openblas.global.openblas;

/**
 * Row-major single-precision matrix product through OpenBLAS ({@code cblas_sgemm}), called directly on
 * reusable direct buffers.
 *
 * <p>Why not a native tensor library's matrix product: cblas_sgemm on direct buffers ran a large product at
 * about twice ND4J's {@code gemm} rate (docs/BENCHMARKS.md, "Engine comments"), and the layers' operands
 * live in Java arrays, so one bulk copy into a direct buffer is cheaper than creating native arrays. Each
 * instance owns its buffers and is not thread-safe: every layer has its own.
 */
final class Gemm {
    private final FloatBuffer[] slots = new FloatBuffer[6];

    private static FloatBuffer allocate(int n) {
        return ByteBuffer.allocateDirect(Math.max(1, n) * Float.BYTES).order(ByteOrder.nativeOrder())
                .asFloatBuffer();
    }

    /** Direct buffer number {@code slot} (0–5) with room for at least {@code n} floats, reused across calls. */
    FloatBuffer buffer(int slot, int n) {
        FloatBuffer f = slots[slot];
        if (f == null || f.capacity() < n) {
            f = allocate(n);
            slots[slot] = f;
        }
        f.clear();
        return f;
    }

    /** Copies {@code n} floats from {@code src[off..]} into slot {@code slot} and returns the buffer. */
    FloatBuffer load(int slot, float[] src, int off, int n) {
        FloatBuffer f = buffer(slot, n);
        f.put(src, off, n);
        f.clear();
        return f;
    }

    /**
     * {@code C[m,n] = op(A)·op(B) + beta·C} with all matrices row-major and dense: A is {@code [m,k]}
     * ({@code [k,m]} when {@code ta}), B is {@code [k,n]} ({@code [n,k]} when {@code tb}). Uses slots 0–2.
     */
    void multiply(boolean ta, boolean tb, int m, int n, int k, float[] av, int aOff, float[] bv, int bOff,
                  float[] cv, int cOff, float beta) {
        FloatBuffer da = load(0, av, aOff, m * k);
        FloatBuffer db = load(1, bv, bOff, k * n);
        FloatBuffer dc = beta != 0f ? load(2, cv, cOff, m * n) : buffer(2, m * n);
        multiplyDirect(ta, tb, m, n, k, da, db, dc, beta);
        dc.clear();
        dc.get(cv, cOff, m * n);
    }

    /** The same product on direct buffers already filled (positions are ignored: offset 0). */
    static void multiplyDirect(boolean ta, boolean tb, int m, int n, int k, FloatBuffer da, FloatBuffer db,
                               FloatBuffer dc, float beta) {
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0) {
            throw new IllegalArgumentException("matrix product with inner dimension 0");
        }
        da.clear();
        db.clear();
        dc.clear();
        openblas.cblas_sgemm(openblas.CblasRowMajor, ta ? openblas.CblasTrans : openblas.CblasNoTrans,
                tb ? openblas.CblasTrans : openblas.CblasNoTrans, m, n, k, 1f, da, ta ? m : k, db, tb ? k : n,
                beta, dc, n);
    }
}
