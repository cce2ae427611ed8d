package org.ternsweep.nn;

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * 2-D convolution, NCHW, square kernel, symmetric zero padding, weight {@code [out, in, k, k]},
 * optional 1-D bias {@code [out]}.
 *
 * <p>Computed as im2col + one sgemm per chunk of images (Chellapilla et al. 2006, "High performance
 * convolutional neural networks for document processing"): the column matrix is laid out
 * {@code [in·k·k, images·oh·ow]} so that {@code W·col} lands directly in NCHW order per image and
 * stride-1 rows are contiguous copies. Chunks bound the column buffer (~8 MB), so memory does not grow
 * with the batch; backward recomputes the columns instead of caching them.
 */
public final class Conv2d extends WeightLayer {
    /** Upper bound on the number of floats in one chunk's column matrix. */
    private static final int CHUNK_FLOATS = 1 << 21;

    private final int in;
    private final int out;
    private final int kernel;
    private final int stride;
    private final int pad;
    private final Param weight;
    private final Param bias;
    private final Gemm gemm = new Gemm();
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
        int nb = chunk(n, k * p);
        float[] col = new float[k * nb * p];
        float[] res = new float[out * nb * p];
        FloatBuffer dw = gemm.load(0, wv, 0, out * k);
        for (int n0 = 0; n0 < n; n0 += nb) {
            int cnt = Math.min(nb, n - n0);
            int cols = cnt * p;
            im2col(x.data(), n0, cnt, h, w, oh, ow, col);
            FloatBuffer dcol = gemm.load(1, col, 0, k * cols);
            FloatBuffer dres = gemm.buffer(2, out * cols);
            Gemm.multiplyDirect(false, false, out, cols, k, dw, dcol, dres, 0f);
            dres.get(res, 0, out * cols);
            for (int j = 0; j < cnt; j++) {
                for (int o = 0; o < out; o++) {
                    int src = o * cols + j * p;
                    int dst = ((n0 + j) * out + o) * p;
                    float b = bv == null ? 0f : bv[o];
                    for (int i = 0; i < p; i++) {
                        y[dst + i] = res[src + i] + b;
                    }
                }
            }
        }
        return new Tensor(y, n, out, oh, ow);
    }

    @Override
    public Tensor backward(Tensor g) {
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
        int nb = chunk(n, k * p);
        float[] col = new float[k * nb * p];
        float[] gt = new float[out * nb * p];
        float[] db = new float[out];
        float[] dx = new float[x.size()];
        float[] gv = g.data();
        FloatBuffer dw = gemm.load(0, lastWeight, 0, out * k);
        FloatBuffer dgw = gemm.buffer(3, out * k);
        for (int n0 = 0; n0 < n; n0 += nb) {
            int cnt = Math.min(nb, n - n0);
            int cols = cnt * p;
            im2col(x.data(), n0, cnt, h, w, oh, ow, col);
            for (int j = 0; j < cnt; j++) {
                for (int o = 0; o < out; o++) {
                    int src = ((n0 + j) * out + o) * p;
                    System.arraycopy(gv, src, gt, o * cols + j * p, p);
                    float s = 0f;
                    for (int i = 0; i < p; i++) {
                        s += gv[src + i];
                    }
                    db[o] += s;
                }
            }
            FloatBuffer dcol = gemm.load(1, col, 0, k * cols);
            FloatBuffer dg = gemm.load(2, gt, 0, out * cols);
            Gemm.multiplyDirect(false, true, out, k, cols, dg, dcol, dgw, n0 == 0 ? 0f : 1f);
            FloatBuffer dcolGrad = gemm.buffer(4, k * cols);
            Gemm.multiplyDirect(true, false, k, cols, out, dw, dg, dcolGrad, 0f);
            dcolGrad.get(col, 0, k * cols);
            col2im(col, n0, cnt, h, w, oh, ow, dx);
        }
        float[] gw = new float[out * k];
        dgw.clear();
        dgw.get(gw);
        weight.accumulate(gw);
        if (bias != null) {
            bias.accumulate(db);
        }
        return new Tensor(dx, x.shape());
    }

    private static int chunk(int n, int perImage) {
        return Math.max(1, Math.min(n, CHUNK_FLOATS / Math.max(1, perImage)));
    }

    /** Fills {@code col[(c·k+kh)·k+kw][j·p + oh·ow + ow]} for images n0..n0+cnt-1. */
    private void im2col(float[] x, int n0, int cnt, int h, int w, int oh, int ow, float[] col) {
        int p = oh * ow;
        int cols = cnt * p;
        for (int c = 0; c < in; c++) {
            for (int kh = 0; kh < kernel; kh++) {
                for (int kw = 0; kw < kernel; kw++) {
                    int rowBase = ((c * kernel + kh) * kernel + kw) * cols;
                    int lo = stride == 1 ? Math.max(0, pad - kw) : 0;
                    int hi = stride == 1 ? Math.min(ow, w + pad - kw) : ow;
                    for (int j = 0; j < cnt; j++) {
                        int xBase = ((n0 + j) * in + c) * h * w;
                        int colBase = rowBase + j * p;
                        for (int r = 0; r < oh; r++) {
                            int ih = r * stride + kh - pad;
                            int dst = colBase + r * ow;
                            if (ih < 0 || ih >= h) {
                                Arrays.fill(col, dst, dst + ow, 0f);
                            } else if (stride == 1) {
                                Arrays.fill(col, dst, dst + Math.min(lo, ow), 0f);
                                if (hi > lo) {
                                    System.arraycopy(x, xBase + ih * w + lo + kw - pad, col, dst + lo, hi - lo);
                                }
                                Arrays.fill(col, dst + Math.min(ow, Math.max(hi, lo)), dst + ow, 0f);
                            } else {
                                int rowIn = xBase + ih * w;
                                for (int q = 0; q < ow; q++) {
                                    int iw = q * stride + kw - pad;
                                    col[dst + q] = iw >= 0 && iw < w ? x[rowIn + iw] : 0f;
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /** Adds the column gradients back into {@code dx}: the adjoint of {@link #im2col}. */
    private void col2im(float[] col, int n0, int cnt, int h, int w, int oh, int ow, float[] dx) {
        int p = oh * ow;
        int cols = cnt * p;
        for (int c = 0; c < in; c++) {
            for (int kh = 0; kh < kernel; kh++) {
                for (int kw = 0; kw < kernel; kw++) {
                    int rowBase = ((c * kernel + kh) * kernel + kw) * cols;
                    int lo = stride == 1 ? Math.max(0, pad - kw) : 0;
                    int hi = stride == 1 ? Math.min(ow, w + pad - kw) : ow;
                    for (int j = 0; j < cnt; j++) {
                        int xBase = ((n0 + j) * in + c) * h * w;
                        int colBase = rowBase + j * p;
                        for (int r = 0; r < oh; r++) {
                            int ih = r * stride + kh - pad;
                            if (ih < 0 || ih >= h) {
                                continue;
                            }
                            int src = colBase + r * ow;
                            int rowIn = xBase + ih * w;
                            if (stride == 1) {
                                int off = rowIn + kw - pad;
                                for (int q = lo; q < hi; q++) {
                                    dx[off + q] += col[src + q];
                                }
                            } else {
                                for (int q = 0; q < ow; q++) {
                                    int iw = q * stride + kw - pad;
                                    if (iw >= 0 && iw < w) {
                                        dx[rowIn + iw] += col[src + q];
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
