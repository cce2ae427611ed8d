package org.ternsweep.engine;

import java.util.List;

/**
 * A fixed per-channel affine map over NCHW, {@code y = x·scale[c] + shift[c]}, without trainable parameters:
 * the input normalisation {@code (x − mean) / std} of a network whose training data were normalised, either
 * given with the network or baked into an imported graph as Sub/Div/Mul by constants. One value for all
 * channels is allowed.
 */
public final class ChannelAffine extends Layer {
    private final float[] scale;
    private final float[] shift;
    private int[] lastShape;

    /** @throws IllegalArgumentException if the arrays are empty, differ in length, or hold a non-finite value */
    public ChannelAffine(String name, float[] scale, float[] shift) {
        super(name);
        if (scale == null || shift == null || scale.length == 0 || scale.length != shift.length) {
            throw new IllegalArgumentException("channel affine " + name + " needs scale and shift of the same"
                    + " non-zero length");
        }
        for (int c = 0; c < scale.length; c++) {
            if (!Float.isFinite(scale[c]) || !Float.isFinite(shift[c])) {
                throw new IllegalArgumentException("channel affine " + name + ": channel " + c + " has scale "
                        + scale[c] + " and shift " + shift[c] + "; both must be finite");
            }
        }
        this.scale = scale.clone();
        this.shift = shift.clone();
    }

    /** {@code (x − mean[c]) / std[c]}, computed as {@code x·(1/std) + (−mean/std)}. */
    public static ChannelAffine normalisation(String name, float[] mean, float[] std) {
        if (mean == null || std == null || mean.length != std.length) {
            throw new IllegalArgumentException("normalisation " + name + " needs mean and std of the same length");
        }
        float[] scale = new float[mean.length];
        float[] shift = new float[mean.length];
        for (int c = 0; c < mean.length; c++) {
            if (!(std[c] > 0f)) {
                throw new IllegalArgumentException("normalisation " + name + ": std of channel " + c + " is "
                        + std[c] + "; it must be positive");
            }
            scale[c] = 1f / std[c];
            shift[c] = -mean[c] / std[c];
        }
        return new ChannelAffine(name, scale, shift);
    }

    /** The per-channel factors (a copy). */
    public float[] scale() {
        return scale.clone();
    }

    /** The per-channel offsets (a copy). */
    public float[] shift() {
        return shift.clone();
    }

    private void requireChannels(Tensor x) {
        requireRank(x, 4, name(), "[N, C, H, W]");
        if (scale.length != 1 && x.dim(1) != scale.length) {
            throw new IllegalArgumentException("channel affine " + name() + " has " + scale.length
                    + " channels' values but got " + x);
        }
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        requireChannels(x);
        int c = x.dim(1);
        int plane = x.dim(2) * x.dim(3);
        float[] xv = x.data();
        float[] y = new float[xv.length];
        engine().forEach(x.dim(0) * c, plane, p -> {
            int ch = scale.length == 1 ? 0 : p % c;
            float a = scale[ch];
            float b = shift[ch];
            for (int q = p * plane; q < (p + 1) * plane; q++) {
                y[q] = xv[q] * a + b;
            }
        });
        lastShape = x.shape();
        return new Tensor(y, lastShape);
    }

    @Override
    public Tensor backward(Tensor gradOut) {
        if (lastShape == null) {
            throw noForward(name());
        }
        int c = lastShape[1];
        int plane = lastShape[2] * lastShape[3];
        float[] g = gradOut.data();
        float[] dx = new float[g.length];
        engine().forEach(lastShape[0] * c, plane, p -> {
            float a = scale[scale.length == 1 ? 0 : p % c];
            for (int q = p * plane; q < (p + 1) * plane; q++) {
                dx[q] = g[q] * a;
            }
        });
        return new Tensor(dx, lastShape);
    }

    @Override
    public List<Param> params() {
        return List.of();
    }

    @Override
    public ChannelAffine copy() {
        ChannelAffine a = new ChannelAffine(name(), scale, shift);
        a.bindLike(this);
        return a;
    }
}
