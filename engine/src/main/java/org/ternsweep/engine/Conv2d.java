package org.ternsweep.engine;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * 2-D convolution, NCHW, square kernel, symmetric zero padding, weight {@code [out, in, k, k]},
 * optional 1-D bias {@code [out]}.
 *
 * <p>Two backends ({@link Engine.ConvBackend}). By default each chunk of a few images goes to oneDNN's
 * JIT kernels ({@link DnnlConv}: blocked layouts, no column matrix; 3–10× faster per conv than the
 * path below, docs/BENCHMARKS.md round 6). The engine's own path, used where oneDNN does not load and
 * kept as an independent reference in the tests, is im2col + one sgemm per chunk of images (Chellapilla
 * et al. 2006, "High performance convolutional neural networks for document processing"): the column matrix is laid out
 * {@code [in·k·k, images·oh·ow]} so that {@code W·col} lands directly in NCHW order per image and
 * stride-1 rows are contiguous copies. Chunks bound the column buffer (1 MB), so memory does not grow
 * with the batch; backward recomputes the columns instead of caching them.
 *
 * <p>With more than one {@link Engine} thread the chunks are split into contiguous ranges, one per
 * thread, each with its own buffers and a one-thread sgemm (one fork/join per layer, and no second
 * thread pool inside OpenBLAS competing for the cores). Each chunk's weight gradient is its own partial
 * sum, added in chunk order, so results do not depend on which thread ran which chunk.
 *
 * <p>Over 400 lines (about 600) on purpose: the two backends share the chunk and per-task scheme, and
 * im2col and its adjoint col2im, with their fast stride-1 path, and the per-thread chunk loops belong next to the forward and backward passes that depend on their exact
 * column layout.
 */
public final class Conv2d extends WeightLayer {
    /**
     * Upper bound on the number of floats in one chunk's column matrix (1 MB): small enough to stay in
     * L2 between im2col and sgemm and to keep each layer's direct buffers small (they are freed only
     * when Java collects them), large enough that sgemm runs at full speed (measured: the same GFLOP/s
     * from 784 to 14 000 columns).
     */
    private static final int CHUNK_FLOATS = 1 << 18;

    /**
     * Images per oneDNN call. oneDNN's JIT kernels run the zoo's shapes at the same GFLOP/s from 4 to 128
     * images (≈ 250 GFLOP/s per core in all three passes, 16→16 channels at 28×28), but a chunk's buffers
     * stay in the core's L2 only when small: resnet-8 training measured 2 730–2 800 img/s with 4 or 8
     * images per call, 2 600 with 16, 2 530 with 32 or 64 (EngineBench, two engine threads).
     */
    private static final int DNNL_CHUNK_IMAGES = 8;
    /** Upper bound on one image's floats times the images of one call (4 MB), for larger inputs. */
    private static final int DNNL_CHUNK_FLOATS = 1 << 20;

    private final int in;
    private final int out;
    private final int kernel;
    private final int stride;
    private final int pad;
    private final Param weight;
    private final Param bias;
    private final Gemm gemm = new Gemm();
    private Gemm[] workerGemms = new Gemm[0];
    private final List<Map<DnnlConv.Geometry, DnnlConv>> dnnlWorkers = new ArrayList<>();
    /** A new value per layer call: the weights may change between calls, never within one. */
    private long weightsToken;
    private Tensor lastInput;
    private float[] lastWeight;

    /** A conv with zero-initialised parameters (the zoo fills them). */
    public Conv2d(String name, int in, int out, int kernel, int stride, int pad, boolean hasBias,
                  Activation activation) {
        this(name, Nd4j.zeros(DataType.FLOAT, out, in, kernel, kernel),
                hasBias ? Nd4j.zeros(DataType.FLOAT, out) : null, stride, pad, activation);
    }

    /** A conv with the given weight {@code [out, in, k, k]} and bias {@code [out]} (or null), both copied. */
    public Conv2d(String name, INDArray weight, INDArray bias, int stride, int pad, Activation activation) {
        super(name, activation);
        if (weight == null || weight.rank() != 4 || weight.size(2) != weight.size(3)) {
            throw new IllegalArgumentException("conv " + name + " needs a weight [out, in, k, k] but got "
                    + (weight == null ? "null" : Arrays.toString(weight.shape())));
        }
        if (stride < 1 || pad < 0) {
            throw new IllegalArgumentException("conv " + name + ": stride must be >= 1 and pad >= 0, got stride "
                    + stride + " pad " + pad);
        }
        this.out = (int) weight.size(0);
        this.in = (int) weight.size(1);
        this.kernel = (int) weight.size(2);
        this.stride = stride;
        this.pad = pad;
        this.weight = new Param(name + ".W", weight);
        if (bias != null && bias.length() != out) {
            throw new IllegalArgumentException("conv " + name + " bias must have " + out + " values but has "
                    + bias.length());
        }
        this.bias = bias == null ? null : new Param(name + ".b", bias.reshape(out));
    }

    public int inChannels() {
        return in;
    }

    public int outChannels() {
        return out;
    }

    public int kernel() {
        return kernel;
    }

    public int stride() {
        return stride;
    }

    public int pad() {
        return pad;
    }

    @Override
    public Param weight() {
        return weight;
    }

    @Override
    public Param bias() {
        return bias;
    }

    @Override
    public int outputAxis() {
        return 0;
    }

    @Override
    public List<Param> params() {
        return bias == null ? List.of(weight) : List.of(weight, bias);
    }

    @Override
    public Conv2d copy() {
        return new Conv2d(name(), weight.value(), bias == null ? null : bias.value(), stride, pad, activation());
    }

    @Override
    public INDArray lastInput() {
        return lastInputTensor().toINDArray();
    }

    @Override
    public Tensor lastInputTensor() {
        if (lastInput == null) {
            throw noForward(name());
        }
        return lastInput;
    }

    private int outSize(int size) {
        int o = (size + 2 * pad - kernel) / stride + 1;
        if (o < 1) {
            throw new IllegalArgumentException("conv " + name() + ": input size " + size + " is smaller than kernel "
                    + kernel + " with pad " + pad);
        }
        return o;
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        requireRank(x, 4, name(), "[N, " + in + ", H, W]");
        if (x.dim(1) != in) {
            throw new IllegalArgumentException("conv " + name() + " expects " + in + " input channels but got " + x);
        }
        int n = x.dim(0);
        int h = x.dim(2);
        int w = x.dim(3);
        int oh = outSize(h);
        int ow = outSize(w);
        int p = oh * ow;
        int k = in * kernel * kernel;
        float[] wv = currentWeight();
        float[] bv = currentBias();
        lastInput = x;
        lastWeight = wv;
        float[] y = new float[n * out * p];
        if (Engine.useDnnl()) {
            int nb = dnnlChunk(n, h, w, oh, ow);
            int chunks = (n + nb - 1) / nb;
            int tasks = tasks(chunks);
            List<Map<DnnlConv.Geometry, DnnlConv>> prims = dnnlTasks(tasks);
            long token = ++weightsToken;
            Parallel.tasks(tasks, t -> {
                for (int c = chunks * t / tasks; c < chunks * (t + 1) / tasks; c++) {
                    int cnt = Math.min(nb, n - c * nb);
                    prims.get(t).computeIfAbsent(geometry(h, w, cnt), DnnlConv::new).forward(x.data(), c * nb * in * h * w, wv, bv, y,
                            c * nb * out * p, token);
                }
            });
            return new Tensor(y, n, out, oh, ow);
        }
        int nb = chunk(n, k * p);
        int chunks = (n + nb - 1) / nb;
        int tasks = tasks(chunks);
        if (tasks == 1) {
            forwardChunks(x.data(), 0, chunks, nb, n, h, w, oh, ow, wv, bv, y, gemm, true);
        } else {
            Gemm[] gemms = workers(tasks);
            Parallel.tasks(tasks, t -> forwardChunks(x.data(), chunks * t / tasks, chunks * (t + 1) / tasks, nb, n,
                    h, w, oh, ow, wv, bv, y, gemms[t], false));
        }
        return new Tensor(y, n, out, oh, ow);
    }

    /**
     * How many tasks split a layer's chunks: one (chunks in sequence, OpenBLAS and the Java loops each
     * using the engine's threads) or, with more than one engine thread, one task per thread, each
     * running a contiguous range of chunks with its own buffers and a one-thread sgemm.
     */
    private static int tasks(int chunks) {
        int t = Math.min(Engine.threads(), chunks);
        if (t > 1) {
            Engine.pinBlasToOneThread();
        }
        return Math.max(1, t);
    }

    /** Per-task Gemm instances (task 0 uses the layer's own), grown on first use of a thread count. */
    private Gemm[] workers(int tasks) {
        if (workerGemms.length < tasks) {
            Gemm[] grown = Arrays.copyOf(workerGemms, tasks);
            grown[0] = gemm;
            for (int t = 1; t < tasks; t++) {
                if (grown[t] == null) {
                    grown[t] = new Gemm();
                }
            }
            workerGemms = grown;
        }
        return workerGemms;
    }

    /** Runs {@code body} for 0..n-1 on the engine's threads when {@code parallel}, else in order here. */
    private static void each(boolean parallel, int n, long workPerItem, IntConsumer body) {
        if (parallel) {
            Parallel.forEach(n, workPerItem, body);
        } else {
            for (int i = 0; i < n; i++) {
                body.accept(i);
            }
        }
    }

    /** Forward for chunks {@code c0..c1-1} of {@code nb} images: im2col, sgemm, copy-out with bias. */
    private void forwardChunks(float[] xv, int c0, int c1, int nb, int n, int h, int w, int oh, int ow,
                               float[] wv, float[] bv, float[] y, Gemm gm, boolean parallel) {
        int p = oh * ow;
        int k = in * kernel * kernel;
        FloatBuffer dw = gm.load(0, wv, 0, out * k);
        for (int c = c0; c < c1; c++) {
            int n0 = c * nb;
            int cnt = Math.min(nb, n - n0);
            int cols = cnt * p;
            FloatBuffer dcol = gm.buffer(1, k * cols);
            im2col(xv, n0, cnt, h, w, oh, ow, dcol, parallel);
            FloatBuffer dres = gm.buffer(2, out * cols);
            Gemm.multiplyDirect(false, false, out, cols, k, dw, dcol, dres, 0f);
            each(parallel, cnt, (long) out * p, j -> {
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
    private void backwardChunks(float[] xv, float[] gv, int c0, int c1, int nb, int n, int h, int w, int oh,
                                int ow, boolean transposed, float[] partials, float[] dx, Gemm gm,
                                boolean parallel) {
        int p = oh * ow;
        int k = in * kernel * kernel;
        int ok = out * k;
        FloatBuffer dw = dx == null ? null : gm.load(0, lastWeight, 0, ok);
        FloatBuffer dgw = gm.buffer(3, ok);
        for (int c = c0; c < c1; c++) {
            int n0 = c * nb;
            int cnt = Math.min(nb, n - n0);
            int cols = cnt * p;
            FloatBuffer dcol = gm.buffer(1, k * cols);
            im2col(xv, n0, cnt, h, w, oh, ow, dcol, parallel);
            FloatBuffer dg = gm.buffer(2, out * cols);
            each(parallel, cnt, (long) out * p, j -> {
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
                col2im(dcolGrad, n0, cnt, h, w, oh, ow, dx, parallel);
            }
        }
    }

    @Override
    public Tensor backward(Tensor g) {
        return backward(g, true);
    }

    @Override
    public Tensor backward(Tensor g, boolean inputGradient) {
        if (lastInput == null) {
            throw noForward(name());
        }
        Tensor x = lastInput;
        int n = x.dim(0);
        int h = x.dim(2);
        int w = x.dim(3);
        int oh = outSize(h);
        int ow = outSize(w);
        int p = oh * ow;
        if (g.rank() != 4 || g.dim(0) != n || g.dim(1) != out || g.dim(2) != oh || g.dim(3) != ow) {
            throw new IllegalArgumentException("conv " + name() + " backward expects gradient [" + n + ", " + out
                    + ", " + oh + ", " + ow + "] but got " + g);
        }
        int k = in * kernel * kernel;
        boolean dnnl = Engine.useDnnl();
        int nb = dnnl ? dnnlChunk(n, h, w, oh, ow) : chunk(n, k * p);
        float[] db = new float[out];
        float[] dx = inputGradient ? new float[x.size()] : null;
        float[] gv = g.data();
        if (bias != null) {
            for (int i = 0; i < n; i++) {
                for (int o = 0; o < out; o++) {
                    int base = (i * out + o) * p;
                    float s = 0f;
                    for (int q = base; q < base + p; q++) {
                        s += gv[q];
                    }
                    db[o] += s;
                }
            }
        }
        // the weight gradient is computed as dWᵀ [k, out] = col · dgᵀ when k ≥ out: with more rows than
        // columns OpenBLAS runs this orientation 1.2–1.6× faster than dW = dg · colᵀ (one thread, measured
        // 98 against 61 GFLOP/s at out 16, k 144; 114 against 84 at out 32, k 288); with k < out (the
        // stem, the 1×1 shortcuts) the direct orientation is the faster one (40 against 32 at out 16, k 9)
        boolean transposed = !dnnl && k >= out;
        int ok = out * k;
        int chunks = (n + nb - 1) / nb;
        // one partial weight gradient per chunk, summed below in chunk order: the chunks depend only on
        // the shapes, so the result is the same whichever thread ran which chunk, and for every thread count
        float[] partials = new float[chunks * ok];
        int tasks = tasks(chunks);
        if (dnnl) {
            List<Map<DnnlConv.Geometry, DnnlConv>> prims = dnnlTasks(tasks);
            long token = ++weightsToken;
            Parallel.tasks(tasks, t -> {
                for (int c = chunks * t / tasks; c < chunks * (t + 1) / tasks; c++) {
                    int cnt = Math.min(nb, n - c * nb);
                    prims.get(t).computeIfAbsent(geometry(h, w, cnt), DnnlConv::new).backward(x.data(),
                            c * nb * in * h * w, gv, c * nb * out * p, lastWeight, partials, c * ok, dx,
                            c * nb * in * h * w, token);
                }
            });
        } else if (tasks == 1) {
            backwardChunks(x.data(), gv, 0, chunks, nb, n, h, w, oh, ow, transposed, partials, dx, gemm, true);
        } else {
            Gemm[] gemms = workers(tasks);
            Parallel.tasks(tasks, t -> backwardChunks(x.data(), gv, chunks * t / tasks, chunks * (t + 1) / tasks,
                    nb, n, h, w, oh, ow, transposed, partials, dx, gemms[t], false));
        }
        float[] sum = new float[ok];
        for (int c = 0; c < chunks; c++) {
            int base = c * ok;
            for (int i = 0; i < ok; i++) {
                sum[i] += partials[base + i];
            }
        }
        float[] gw = weight.gradFloats();
        if (transposed) {
            for (int r = 0; r < k; r++) {
                for (int o = 0; o < out; o++) {
                    gw[o * k + r] += sum[r * out + o];
                }
            }
        } else {
            for (int i = 0; i < ok; i++) {
                gw[i] += sum[i];
            }
        }
        if (bias != null) {
            bias.accumulate(db);
        }
        return inputGradient ? new Tensor(dx, x.shape()) : null;
    }

    /**
     * One map of oneDNN primitives per task, for {@code tasks} tasks, grown here on the calling thread
     * before the tasks start (each task then touches only its own map). Held per layer and task rather
     * than per thread: the common fork-join pool's workers clear their thread-locals after every task
     * (JDK 17), which made every call rebuild its primitives (measured: 107 rebuilds in 60 calls). A layer
     * is never run by two callers at once, and within a call each task index runs on one thread.
     */
    private List<Map<DnnlConv.Geometry, DnnlConv>> dnnlTasks(int tasks) {
        while (dnnlWorkers.size() < tasks) {
            dnnlWorkers.add(new HashMap<>());
        }
        return dnnlWorkers;
    }

    /** The oneDNN primitives' geometry for {@code images} images of size h × w. */
    private DnnlConv.Geometry geometry(int h, int w, int images) {
        return new DnnlConv.Geometry(in, out, kernel, stride, pad, h, w, images, bias != null);
    }

    /**
     * Images per oneDNN call: at most {@link #DNNL_CHUNK_IMAGES}, fewer when one image is large, so buffers
     * stay a few MB. It depends only on the shapes, never on the thread count, so results do not either.
     */
    private int dnnlChunk(int n, int h, int w, int oh, int ow) {
        int perImage = Math.max(in * h * w, out * oh * ow);
        return Math.max(1, Math.min(Math.min(n, DNNL_CHUNK_IMAGES), DNNL_CHUNK_FLOATS / Math.max(1, perImage)));
    }

    private static int chunk(int n, int perImage) {
        return Math.max(1, Math.min(n, CHUNK_FLOATS / Math.max(1, perImage)));
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
    private void im2col(float[] x, int n0, int cnt, int h, int w, int oh, int ow, FloatBuffer col,
                        boolean parallel) {
        int p = oh * ow;
        int cols = cnt * p;
        int plane = h * w;
        boolean shift = planeShift(h, w, oh, ow);
        each(parallel, cnt, (long) in * kernel * kernel * p, j -> {
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
                            java.util.Arrays.fill(row, 0, Math.min(qa, p), 0f);
                            if (qb > qa) {
                                System.arraycopy(x, xBase + qa + off, row, qa, qb - qa);
                            }
                            java.util.Arrays.fill(row, Math.max(qa, Math.min(qb, p)), p, 0f);
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
                java.util.Arrays.fill(row, dst, dst + ow, 0f);
            } else if (stride == 1) {
                java.util.Arrays.fill(row, dst, dst + lo, 0f);
                System.arraycopy(x, xBase + ih * w + lo + kw - pad, row, dst + lo, hi - lo);
                java.util.Arrays.fill(row, dst + hi, dst + ow, 0f);
            } else {
                int rowIn = xBase + ih * w + kw - pad;
                int qa = validFrom(kw, ow);
                int qb = validTo(kw, w, ow);
                java.util.Arrays.fill(row, dst, dst + qa, 0f);
                for (int q = qa; q < qb; q++) {
                    row[dst + q] = x[rowIn + q * stride];
                }
                java.util.Arrays.fill(row, dst + Math.max(qa, qb), dst + ow, 0f);
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
    private void col2im(FloatBuffer col, int n0, int cnt, int h, int w, int oh, int ow, float[] dx,
                        boolean parallel) {
        int p = oh * ow;
        int cols = cnt * p;
        int plane = h * w;
        boolean shift = planeShift(h, w, oh, ow);
        each(parallel, cnt, (long) in * kernel * kernel * p, j -> {
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

    private void scatterRows(float[] row, int xBase, int h, int w, int oh, int ow, int kh, int kw, float[] dx) {
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
