package org.ternsweep.engine;

import java.util.List;

/**
 * NCHW {@code [N, C, H, W]} → {@code [N, C·H·W]} in C order, the same order as DL4J's
 * CnnToFeedForwardPreProcessor, so dense weights line up between the two. Shares the data array.
 */
public final class Flatten extends Layer {
    private int[] lastInputShape;

    public Flatten(String name) {
        super(name);
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        lastInputShape = x.shape();
        return x.reshape(x.dim(0), x.size() / Math.max(1, x.dim(0)));
    }

    @Override
    public Tensor backward(Tensor gradOut) {
        if (lastInputShape == null) {
            throw noForward(name());
        }
        return gradOut.reshape(lastInputShape);
    }

    @Override
    public List<Param> params() {
        return List.of();
    }

    @Override
    public Flatten copy() {
        Flatten f = new Flatten(name());
        f.bindLike(this);
        return f;
    }
}
