package org.ternsweep.engine;

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.function.IntConsumer;

/**
 * The engine's own convolution backend: im2col + one OpenBLAS sgemm per chunk of images (Chellapilla et al.
 * 2006, "High performance convolutional neural networks for document processing"). It is the reference the
 * tests check {@link DnnlConv} against, and the fallback where oneDNN does not load.
 *
 * <p>The column matrix is laid out {@code [in·k·k, images·oh·ow]} so that {@code W·col} lands directly in NCHW
 * order per image and stride-1 rows are contiguous copies. Chunks bound the column buffer, so memory does not
 * grow with the batch; backward recomputes the columns instead of caching them. With more than one engine
 * thread the chunks are split into contiguous ranges, one per thread, each with its own buffers and a
 * one-thread sgemm (one fork/join per layer call, and no second thread pool inside OpenBLAS competing for
 * the cores). Each chunk's weight gradient is its own partial sum, added in chunk order, so results do not
 * depend on which thread ran which chunk.
 */
public final class GemmConv implements ConvBackend {
    /** The backend's name in provenance. */
    public static final String NAME = "gemm";

    /**
     * Upper bound on the floats of one chunk's column matrix (1 MB): small enough to stay in L2 between
     * im2col and sgemm and to keep each layer's direct buffers small (they are freed only when Java collects
     * them), large enough that sgemm runs at full speed (docs/BENCHMARKS.md, "Engine comments").
     */
    private static final int CHUNK_FLOATS = 1 << 18;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Conv create(ConvShape shape) {
        return shape.groups() == 1 ? new PerLayer(shape) : new GroupedConv(shape, this);
    }

    @Override
    public String toString() {
        return NAME;
    }

    /** One layer's buffers: a {@link Gemm} per engine task (task 0's is kept across thread counts). */
    private static final class PerLayer implements Conv {
        private final int in;
        private final int out;
        private final int kernel;
        private final int stride;
        private final int pad;
        private Gemm[] gemms = {new Gemm()};

        PerLayer(ConvShape s) {
            this.in = s.in();
            this.out = s.out();
            this.kernel = s.kernel();
            this.stride = s.stride();
            this.pad = s.pad();
        }

        /** Per-task Gemm instances, grown on first use of a thread count. */
        private Gemm[] gemms(int tasks) {
            if (gemms.length < tasks) {
                Gemm[] grown = Arrays.copyOf(gemms, tasks);
                for (int t = 1; t < tasks; t++) {
                    if (grown[t] == null) {
                        grown[t] = new Gemm();
                    }
                }
                gemms = grown;
            }
            return gemms;
        }

        private static int chunk(int n, int perImage) {
            return Math.max(1, Math.min(n, CHUNK_FLOATS / Math.max(1, perImage)));
        }

        /**
         * One task (chunks in sequence, OpenBLAS and the Java loops each using the engine's threads) or, with
         * more than one engine thread, one task per thread, each running a contiguous range of chunks with its
         * own buffers and a one-thread sgemm.
         */
        private static int tasks(Engine engine, int chunks) {
            return Math.max(1, Math.min(engine.threads(), chunks));
        }

        @Override
        public void forward(Engine engine, float[] x, int n, int h, int w, float[] wv, float[] bv, float[] y) {
            int oh = (h + 2 * pad - kernel) / stride + 1;
            int ow = (w + 2 * pad - kernel) / stride + 1;
            int k = in * kernel * kernel;
            int nb = chunk(n, k * oh * ow);
            int chunks = (n + nb - 1) / nb;
            int tasks = tasks(engine, chunks);
            Gemm[] gm = gemms(tasks);
            if (tasks == 1) {
                forwardChunks(engine, x, 0, chunks, nb, n, h, w, oh, ow, wv, bv, y, gm[0], true);
            } else {
                engine.tasks(tasks, t -> forwardChunks(engine, x, chunks * t / tasks, chunks * (t + 1) / tasks, nb,
                        n, h, w, oh, ow, wv, bv, y, gm[t], false));
            }
        }

        @Override
        public void backward(Engine engine, float[] x, int n, int h, int w, float[] gy, float[] wv, float[] dw,
                             float[] dx) {
            int oh = (h + 2 * pad - kernel) / stride + 1;
            int ow = (w + 2 * pad - kernel) / stride + 1;
            int k = in * kernel * kernel;
            int nb = chunk(n, k * oh * ow);
            // with more rows than columns OpenBLAS runs dWᵀ [k, out] = col · dgᵀ faster than dW = dg · colᵀ; with
            // k < out (the stem, the 1×1 shortcuts) the direct orientation is the faster one
            // (docs/BENCHMARKS.md, "Engine comments")
            boolean transposed = k >= out;
            int ok = out * k;
            int chunks = (n + nb - 1) / nb;
            // one partial weight gradient per chunk, summed below in chunk order: the chunks depend only on
            // the shapes, so the result is the same whichever thread ran which chunk, and for every thread count
            float[] partials = new float[chunks * ok];
            int tasks = tasks(engine, chunks);
            Gemm[] gm = gemms(tasks);
            if (tasks == 1) {
                backwardChunks(engine, x, gy, 0, chunks, nb, n, h, w, oh, ow, wv, transposed, partials, dx, gm[0],
                        true);
            } else {
                engine.tasks(tasks, t -> backwardChunks(engine, x, gy, chunks * t / tasks, chunks * (t + 1) / tasks,
                        nb, n, h, w, oh, ow, wv, transposed, partials, dx, gm[t], false));
            }
            float[] sum = transposed ? new float[ok] : dw;
            for (int c = 0; c < chunks; c++) {
                int base = c * ok;
                for (int i = 0; i < ok; i++) {
                    sum[i] += partials[base + i];
                }
            }
            if (transposed) {
                for (int r = 0; r < k; r++) {
                    for (int o = 0; o < out; o++) {
                        dw[o * k + r] = sum[r * out + o];
                    }
                }
            }
        }

        /** Runs {@code body} for 0..n-1 on the engine's threads when {@code parallel}, else in order here. */
        private static void each(Engine engine, boolean parallel, int n, long workPerItem, IntConsumer body) {
            if (parallel) {
                engine.forEach(n, workPerItem, body);
            } else {
                for (int i = 0; i < n; i++) {
                    body.accept(i);
                }
            }
        }

        /** Forward for chunks {@code c0..c1-1} of {@code nb} images: im2col, sgemm, copy-out with bias. */
        private void forwardChunks(Engine engine, float[] xv, int c0, int c1, int nb, int n, int h, int w, int oh,
                                   int ow, float[] wv, float[] bv, float[] y, Gemm gm, boolean parallel) {
            int p = oh * ow;
            int k = in * kernel * kernel;
            FloatBuffer dw = gm.load(0, wv, 0, out * k);
            for (int c = c0; c < c1; c++) {
                int n0 = c * nb;
                int cnt = Math.min(nb, n - n0);
                int cols = cnt * p;
                FloatBuffer dcol = gm.buffer(1, k * cols);
                im2col(engine, xv, n0, cnt, h, w, oh, ow, dcol, parallel);
                FloatBuffer dres = gm.buffer(2, out * cols);
                Gemm.multiplyDirect(false, false, out, cols, k, dw, dcol, dres, 0f);
                each(engine, parallel, cnt, (long) out * p, j -> {
                    for (int o = 0; o < out; o++) {
                        int base = ((n0 + j) * out + o) * p;
                        dres.get(o * cols + j * p, y, base, p);
                        if (bv != null) {
                            float b = bv[o];
                            for (int q = base; q < base + p; q++) {
                                y[q] += b;
                            }
                        }
                    }
                });
            }
        }

        /**
         * Backward for chunks {@code c0..c1-1}: each chunk's weight gradient (in the orientation chosen by
         * the caller) goes to its own slice of {@code partials}, and its input gradient into {@code dx}
         * (images of different chunks are disjoint).
         */
        private void backwardChunks(Engine engine, float[] xv, float[] gv, int c0, int c1, int nb, int n, int h,
                                    int w, int oh, int ow, float[] wv, boolean transposed, float[] partials,
                                    float[] dx, Gemm gm, boolean parallel) {
            int p = oh * ow;
            int k = in * kernel * kernel;
            int ok = out * k;
            FloatBuffer dw = dx == null ? null : gm.load(0, wv, 0, ok);
            FloatBuffer dgw = gm.buffer(3, ok);
            for (int c = c0; c < c1; c++) {
                int n0 = c * nb;
                int cnt = Math.min(nb, n - n0);
                int cols = cnt * p;
                FloatBuffer dcol = gm.buffer(1, k * cols);
                im2col(engine, xv, n0, cnt, h, w, oh, ow, dcol, parallel);
                FloatBuffer dg = gm.buffer(2, out * cols);
                each(engine, parallel, cnt, (long) out * p, j -> {
                    for (int o = 0; o < out; o++) {
                        dg.put(o * cols + j * p, gv, ((n0 + j) * out + o) * p, p);
                    }
                });
                if (transposed) {
                    Gemm.multiplyDirect(false, true, k, out, cols, dcol, dg, dgw, 0f);
                } else {
                    Gemm.multiplyDirect(false, true, out, k, cols, dg, dcol, dgw, 0f);
                }
                dgw.get(0, partials, c * ok, ok);
                if (dx != null) {
                    FloatBuffer dcolGrad = gm.buffer(4, k * cols);
                    Gemm.multiplyDirect(true, false, k, cols, out, dw, dg, dcolGrad, 0f);
                    col2im(engine, dcolGrad, n0, cnt, h, w, oh, ow, dx, parallel);
                }
            }
        }

        /** Whether rows of the column matrix are shifted copies of whole input planes (stride 1, same size). */
        private boolean planeShift(int h, int w, int oh, int ow) {
            return stride == 1 && oh == h && ow == w;
        }

        /**
         * Fills {@code col[(c·k+kh)·k+kw][j·p + oh·ow + ow]} for images n0..n0+cnt-1 in the direct buffer.
         * For stride-1 "same" convs each row is the input plane shifted by {@code (kh−pad)·w + (kw−pad)}:
         * one bulk copy per (row, image) plus zeroing of the few out-of-image positions, instead of one copy
         * per output row.
         */
        private void im2col(Engine engine, float[] x, int n0, int cnt, int h, int w, int oh, int ow,
                            FloatBuffer col, boolean parallel) {
            int p = oh * ow;
            int cols = cnt * p;
            int plane = h * w;
            boolean shift = planeShift(h, w, oh, ow);
            each(engine, parallel, cnt, (long) in * kernel * kernel * p, j -> {
                float[] row = new float[p];
                for (int c = 0; c < in; c++) {
                    for (int kh = 0; kh < kernel; kh++) {
                        for (int kw = 0; kw < kernel; kw++) {
                            int rowBase = ((c * kernel + kh) * kernel + kw) * cols;
                            int xBase = ((n0 + j) * in + c) * plane;
                            if (shift) {
                                int off = (kh - pad) * w + (kw - pad);
                                int qa = Math.max(0, -off);
                                int qb = Math.min(p, plane - off);
                                Arrays.fill(row, 0, Math.min(qa, p), 0f);
                                if (qb > qa) {
                                    System.arraycopy(x, xBase + qa + off, row, qa, qb - qa);
                                }
                                Arrays.fill(row, Math.max(qa, Math.min(qb, p)), p, 0f);
                                int cLo = pad - kw;
                                int cHi = w + pad - kw;
                                if (cLo > 0 || cHi < ow) {
                                    for (int r = 0; r < oh; r++) {
                                        for (int q = 0; q < cLo; q++) {
                                            row[r * ow + q] = 0f;
                                        }
                                        for (int q = Math.max(cHi, 0); q < ow; q++) {
                                            row[r * ow + q] = 0f;
                                        }
                                    }
                                }
                            } else {
                                gatherRows(x, xBase, h, w, oh, ow, kh, kw, row);
                            }
                            col.put(rowBase + j * p, row, 0, p);
                        }
                    }
                }
            });
        }

        /** One column-matrix row for one image, output row by output row (any stride and padding). */
        private void gatherRows(float[] x, int xBase, int h, int w, int oh, int ow, int kh, int kw, float[] row) {
            int lo = stride == 1 ? Math.min(ow, Math.max(0, pad - kw)) : 0;
            int hi = stride == 1 ? Math.max(lo, Math.min(ow, w + pad - kw)) : ow;
            for (int r = 0; r < oh; r++) {
                int ih = r * stride + kh - pad;
                int dst = r * ow;
                if (ih < 0 || ih >= h) {
                    Arrays.fill(row, dst, dst + ow, 0f);
                } else if (stride == 1) {
                    Arrays.fill(row, dst, dst + lo, 0f);
                    System.arraycopy(x, xBase + ih * w + lo + kw - pad, row, dst + lo, hi - lo);
                    Arrays.fill(row, dst + hi, dst + ow, 0f);
                } else {
                    int rowIn = xBase + ih * w + kw - pad;
                    int qa = validFrom(kw, ow);
                    int qb = validTo(kw, w, ow);
                    Arrays.fill(row, dst, dst + qa, 0f);
                    for (int q = qa; q < qb; q++) {
                        row[dst + q] = x[rowIn + q * stride];
                    }
                    Arrays.fill(row, dst + Math.max(qa, qb), dst + ow, 0f);
                }
            }
        }

        /** First output column whose input column {@code q·stride + kw − pad} is inside the image. */
        private int validFrom(int kw, int ow) {
            int need = pad - kw;
            return need <= 0 ? 0 : Math.min((need + stride - 1) / stride, ow);
        }

        /** One past the last output column whose input column is inside an image of width {@code w}. */
        private int validTo(int kw, int w, int ow) {
            int lim = w - 1 + pad - kw;
            return lim < 0 ? 0 : Math.min(ow, lim / stride + 1);
        }

        /** Adds the column gradients back into {@code dx}: the adjoint of {@link #im2col}. */
        private void col2im(Engine engine, FloatBuffer col, int n0, int cnt, int h, int w, int oh, int ow,
                            float[] dx, boolean parallel) {
            int p = oh * ow;
            int cols = cnt * p;
            int plane = h * w;
            boolean shift = planeShift(h, w, oh, ow);
            each(engine, parallel, cnt, (long) in * kernel * kernel * p, j -> {
                float[] row = new float[p];
                for (int c = 0; c < in; c++) {
                    for (int kh = 0; kh < kernel; kh++) {
                        for (int kw = 0; kw < kernel; kw++) {
                            int rowBase = ((c * kernel + kh) * kernel + kw) * cols;
                            int xBase = ((n0 + j) * in + c) * plane;
                            col.get(rowBase + j * p, row, 0, p);
                            if (shift) {
                                int off = (kh - pad) * w + (kw - pad);
                                int cLo = pad - kw;
                                int cHi = w + pad - kw;
                                if (cLo > 0 || cHi < ow) {
                                    for (int r = 0; r < oh; r++) {
                                        for (int q = 0; q < cLo; q++) {
                                            row[r * ow + q] = 0f;
                                        }
                                        for (int q = Math.max(cHi, 0); q < ow; q++) {
                                            row[r * ow + q] = 0f;
                                        }
                                    }
                                }
                                int qa = Math.max(0, -off);
                                int qb = Math.min(p, plane - off);
                                int d = xBase + off;
                                for (int q = qa; q < qb; q++) {
                                    dx[d + q] += row[q];
                                }
                            } else {
                                scatterRows(row, xBase, h, w, oh, ow, kh, kw, dx);
                            }
                        }
                    }
                }
            });
        }

        private void scatterRows(float[] row, int xBase, int h, int w, int oh, int ow, int kh, int kw,
                                 float[] dx) {
            int lo = stride == 1 ? Math.min(ow, Math.max(0, pad - kw)) : 0;
            int hi = stride == 1 ? Math.max(lo, Math.min(ow, w + pad - kw)) : ow;
            for (int r = 0; r < oh; r++) {
                int ih = r * stride + kh - pad;
                if (ih < 0 || ih >= h) {
                    continue;
                }
                int src = r * ow;
                int rowIn = xBase + ih * w;
                if (stride == 1) {
                    int off = rowIn + kw - pad;
                    for (int q = lo; q < hi; q++) {
                        dx[off + q] += row[src + q];
                    }
                } else {
                    int base = rowIn + kw - pad;
                    int qb = validTo(kw, w, ow);
                    for (int q = validFrom(kw, ow); q < qb; q++) {
                        dx[base + q * stride] += row[src + q];
                    }
                }
            }
        }
    }
}
