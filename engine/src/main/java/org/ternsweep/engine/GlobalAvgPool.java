package org.ternsweep.engine;

import java.util.List;

/** Global average pooling: NCHW {@code [N, C, H, W]} → {@code [N, C]} (as DL4J's GlobalPoolingLayer AVG). */
public final class GlobalAvgPool extends Layer {
    private int[] lastInputShape;

    public GlobalAvgPool(String name) {
        super(name);
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        requireRank(x, 4, name(), "[N, C, H, W]");
        int n = x.dim(0);
        int c = x.dim(1);
        int hw = x.dim(2) * x.dim(3);
        float[] xv = x.data();
        float[] y = new float[n * c];
        for (int plane = 0; plane < n * c; plane++) {
            y[plane] = (float) (BatchNorm2d.sum(xv, plane * hw, (plane + 1) * hw) / hw);
        }
        lastInputShape = x.shape();
        return new Tensor(y, n, c);
    }

    @Override
    public Tensor backward(Tensor gradOut) {
        if (lastInputShape == null) {
            throw noForward(name());
        }
        int n = lastInputShape[0];
        int c = lastInputShape[1];
        int hw = lastInputShape[2] * lastInputShape[3];
        if (gradOut.size() != n * c) {
            throw new IllegalArgumentException("global pool " + name() + " backward expects [" + n + ", " + c
                    + "] but got " + gradOut);
        }
        float[] g = gradOut.data();
        float[] dx = new float[n * c * hw];
        for (int plane = 0; plane < n * c; plane++) {
            float v = g[plane] / hw;
            java.util.Arrays.fill(dx, plane * hw, (plane + 1) * hw, v);
        }
        return new Tensor(dx, lastInputShape);
    }

    @Override
    public List<Param> params() {
        return List.of();
    }

    @Override
    public GlobalAvgPool copy() {
        GlobalAvgPool g = new GlobalAvgPool(name());
        g.bindLike(this);
        return g;
    }
}
