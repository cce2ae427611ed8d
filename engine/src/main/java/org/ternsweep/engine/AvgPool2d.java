package org.ternsweep.engine;

import java.util.List;

/**
 * Average pooling over NCHW with a {@code kh × kw} window, strides {@code sh, sw} and symmetric zero padding
 * {@code ph, pw}; output sizes round down (ONNX's {@code ceil_mode = 0}, PyTorch's default). Padded positions
 * are not counted: each output is the mean of the input values its window covers (ONNX's default
 * {@code count_include_pad = 0}, PyTorch's {@code count_include_pad=False}). Backward spreads each output
 * gradient evenly over those values.
 */
public final class AvgPool2d extends Layer {
    private final int kh;
    private final int kw;
    private final int sh;
    private final int sw;
    private final int ph;
    private final int pw;
    private int[] lastInputShape;

    /**
     * @throws IllegalArgumentException if a window size or stride is below 1, a pad negative, or a pad not
     *                                  smaller than its window (a window could then cover only padding)
     */
    public AvgPool2d(String name, int kh, int kw, int sh, int sw, int ph, int pw) {
        super(name);
        if (kh < 1 || kw < 1 || sh < 1 || sw < 1 || ph < 0 || pw < 0 || ph >= kh || pw >= kw) {
            throw new IllegalArgumentException("average pool " + name + ": kernel and strides must be >= 1 and pads"
                    + " in [0, kernel), got kernel " + kh + "x" + kw + " strides " + sh + "x" + sw + " pads " + ph
                    + "x" + pw);
        }
        this.kh = kh;
        this.kw = kw;
        this.sh = sh;
        this.sw = sw;
        this.ph = ph;
        this.pw = pw;
    }

    /** The window's height and width, {@code [kh, kw]}. */
    public int[] kernel() {
        return new int[] {kh, kw};
    }

    /** The strides along height and width, {@code [sh, sw]}. */
    public int[] strides() {
        return new int[] {sh, sw};
    }

    /** The zero padding on each side along height and width, {@code [ph, pw]}. */
    public int[] pads() {
        return new int[] {ph, pw};
    }

    private int outH(int h) {
        return (h + 2 * ph - kh) / sh + 1;
    }

    private int outW(int w) {
        return (w + 2 * pw - kw) / sw + 1;
    }

    /** The number of input values the window at output {@code (r, q)} covers, for an {@code h × w} input. */
    private int count(int r, int q, int h, int w) {
        int r0 = r * sh - ph;
        int q0 = q * sw - pw;
        int rows = Math.min(r0 + kh, h) - Math.max(r0, 0);
        int cols = Math.min(q0 + kw, w) - Math.max(q0, 0);
        return rows * cols;
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        requireRank(x, 4, name(), "[N, C, H, W]");
        int n = x.dim(0);
        int c = x.dim(1);
        int h = x.dim(2);
        int w = x.dim(3);
        int oh = outH(h);
        int ow = outW(w);
        if (h + 2 * ph < kh || w + 2 * pw < kw) {
            throw new IllegalArgumentException("average pool " + name() + " with kernel " + kh + "x" + kw
                    + " and pads " + ph + "x" + pw + " needs a larger input than " + x);
        }
        float[] xv = x.data();
        float[] y = new float[n * c * oh * ow];
        engine().forEach(n * c, (long) h * w, plane -> {
            int base = plane * h * w;
            int o = plane * oh * ow;
            for (int r = 0; r < oh; r++) {
                int r0 = Math.max(r * sh - ph, 0);
                int r1 = Math.min(r * sh - ph + kh, h);
                for (int q = 0; q < ow; q++) {
                    int q0 = Math.max(q * sw - pw, 0);
                    int q1 = Math.min(q * sw - pw + kw, w);
                    float s = 0f;
                    for (int i = r0; i < r1; i++) {
                        for (int j = q0; j < q1; j++) {
                            s += xv[base + i * w + j];
                        }
                    }
                    y[o++] = s / ((r1 - r0) * (q1 - q0));
                }
            }
        });
        lastInputShape = x.shape();
        return new Tensor(y, n, c, oh, ow);
    }

    @Override
    public Tensor backward(Tensor gradOut) {
        if (lastInputShape == null) {
            throw noForward(name());
        }
        int n = lastInputShape[0];
        int c = lastInputShape[1];
        int h = lastInputShape[2];
        int w = lastInputShape[3];
        int oh = outH(h);
        int ow = outW(w);
        if (gradOut.size() != n * c * oh * ow) {
            throw new IllegalArgumentException("average pool " + name() + " backward got " + gradOut
                    + " but the forward produced [" + n + ", " + c + ", " + oh + ", " + ow + "]");
        }
        float[] g = gradOut.data();
        float[] dx = new float[n * c * h * w];
        // overlapping windows add into the same inputs, but only within one plane: planes are independent
        engine().forEach(n * c, (long) h * w, plane -> {
            int base = plane * h * w;
            int o = plane * oh * ow;
            for (int r = 0; r < oh; r++) {
                for (int q = 0; q < ow; q++) {
                    float share = g[o++] / count(r, q, h, w);
                    int r1 = Math.min(r * sh - ph + kh, h);
                    int q1 = Math.min(q * sw - pw + kw, w);
                    for (int i = Math.max(r * sh - ph, 0); i < r1; i++) {
                        for (int j = Math.max(q * sw - pw, 0); j < q1; j++) {
                            dx[base + i * w + j] += share;
                        }
                    }
                }
            }
        });
        return new Tensor(dx, lastInputShape);
    }

    @Override
    public List<Param> params() {
        return List.of();
    }

    @Override
    public AvgPool2d copy() {
        AvgPool2d a = new AvgPool2d(name(), kh, kw, sh, sw, ph, pw);
        a.bindLike(this);
        return a;
    }
}
