package org.ternsweep.engine;

import java.util.List;

/**
 * 2×2 max pooling with stride 2 over NCHW (odd trailing rows/columns are dropped, as PyTorch and
 * DL4J's truncate mode do). Backward routes each gradient to the first maximal input of its window.
 */
public final class MaxPool2d extends Layer {
    private int[] argmax;
    private int[] lastInputShape;

    public MaxPool2d(String name) {
        super(name);
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        requireRank(x, 4, name(), "[N, C, H, W]");
        int n = x.dim(0);
        int c = x.dim(1);
        int h = x.dim(2);
        int w = x.dim(3);
        int oh = h / 2;
        int ow = w / 2;
        if (oh == 0 || ow == 0) {
            throw new IllegalArgumentException("maxpool " + name() + " needs at least 2×2 inputs but got " + x);
        }
        float[] xv = x.data();
        float[] y = new float[n * c * oh * ow];
        int[] arg = new int[y.length];
        engine().forEach(n * c, (long) h * w, plane -> {
            int base = plane * h * w;
            int o = plane * oh * ow;
            for (int r = 0; r < oh; r++) {
                int r0 = base + 2 * r * w;
                int r1 = r0 + w;
                for (int q = 0; q < ow; q++) {
                    // the first maximum in window order, as "if (v > best) take v" would pick it, but with
                    // masks instead of branches: half the comparisons go either way, so branches mispredict
                    int i0 = r0 + 2 * q;
                    int i2 = r1 + 2 * q;
                    int best = i0;
                    int bv = Float.floatToRawIntBits(xv[i0]);
                    int t = xv[i0 + 1] > Float.intBitsToFloat(bv) ? -1 : 0;
                    best ^= (best ^ (i0 + 1)) & t;
                    bv ^= (bv ^ Float.floatToRawIntBits(xv[i0 + 1])) & t;
                    t = xv[i2] > Float.intBitsToFloat(bv) ? -1 : 0;
                    best ^= (best ^ i2) & t;
                    bv ^= (bv ^ Float.floatToRawIntBits(xv[i2])) & t;
                    t = xv[i2 + 1] > Float.intBitsToFloat(bv) ? -1 : 0;
                    best ^= (best ^ (i2 + 1)) & t;
                    bv ^= (bv ^ Float.floatToRawIntBits(xv[i2 + 1])) & t;
                    y[o] = Float.intBitsToFloat(bv);
                    arg[o] = best;
                    o++;
                }
            }
        });
        argmax = arg;
        lastInputShape = x.shape();
        return new Tensor(y, n, c, oh, ow);
    }

    @Override
    public Tensor backward(Tensor gradOut) {
        if (argmax == null) {
            throw noForward(name());
        }
        if (gradOut.size() != argmax.length) {
            throw new IllegalArgumentException("maxpool " + name() + " backward got " + gradOut
                    + " but the forward produced " + argmax.length + " values");
        }
        int total = 1;
        for (int s : lastInputShape) {
            total *= s;
        }
        float[] dx = new float[total];
        float[] g = gradOut.data();
        int planes = lastInputShape[0] * lastInputShape[1];
        int per = planes == 0 ? 0 : g.length / planes;
        // windows do not overlap, so every input receives at most one gradient: planes are independent
        engine().forEach(planes, per * 4L, pl -> {
            for (int i = pl * per; i < (pl + 1) * per; i++) {
                dx[argmax[i]] += g[i];
            }
        });
        return new Tensor(dx, lastInputShape);
    }

    @Override
    public List<Param> params() {
        return List.of();
    }

    @Override
    public MaxPool2d copy() {
        MaxPool2d m = new MaxPool2d(name());
        m.bindLike(this);
        return m;
    }
}
