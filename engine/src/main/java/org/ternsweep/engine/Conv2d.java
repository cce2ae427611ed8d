package org.ternsweep.engine;

import java.util.List;

/**
 * 2-D convolution, NCHW, square kernel, symmetric zero padding, weight {@code [out, in/groups, k, k]},
 * optional 1-D bias {@code [out]}; with {@code groups > 1} a grouped (depthwise when {@code groups = in})
 * convolution, which each backend computes its own way (oneDNN's grouped primitives, or group by group in
 * {@link GroupedConv}). The products run on the
 * {@link ConvBackend} of the layer's {@link Engine}; the layer keeps that backend's per-layer state
 * ({@link ConvBackend.Conv}) and computes the bias gradient itself.
 */
public final class Conv2d extends WeightLayer {
    private final ConvShape shape;
    private final Param weight;
    private final Param bias;
    /** The backend's computation for this layer, and the backend it came from (it changes with the engine). */
    private ConvBackend.Conv conv;
    private ConvBackend convFrom;
    private Tensor lastInput;
    private float[] lastWeight;

    /** A conv with zero-initialised parameters (the zoo fills them). */
    public Conv2d(String name, int in, int out, int kernel, int stride, int pad, boolean hasBias,
                  Activation activation) {
        this(name, Tensor.zeros(out, in, kernel, kernel), hasBias ? new float[out] : null, stride, pad, activation);
    }

    /** A conv with the given weight {@code [out, in, k, k]} and bias {@code [out]} (or null), both copied. */
    public Conv2d(String name, Tensor weight, float[] bias, int stride, int pad, Activation activation) {
        this(name, weight, bias, stride, pad, 1, activation);
    }

    /**
     * A grouped conv with the given weight {@code [out, in/groups, k, k]} and bias {@code [out]} (or null), both
     * copied; its input has {@code weight.dim(1)·groups} channels.
     */
    public Conv2d(String name, Tensor weight, float[] bias, int stride, int pad, int groups, Activation activation) {
        super(name, activation);
        if (weight == null || weight.rank() != 4 || weight.dim(2) != weight.dim(3)) {
            throw new IllegalArgumentException("conv " + name + " needs a weight [out, in, k, k] but got "
                    + (weight == null ? "null" : weight.toString()));
        }
        if (stride < 1 || pad < 0 || groups < 1 || weight.dim(0) % groups != 0) {
            throw new IllegalArgumentException("conv " + name + ": stride must be >= 1, pad >= 0 and groups >= 1"
                    + " dividing the " + weight.dim(0) + " output channels, got stride " + stride + " pad " + pad
                    + " groups " + groups);
        }
        int out = weight.dim(0);
        if (bias != null && bias.length != out) {
            throw new IllegalArgumentException("conv " + name + " bias must have " + out + " values but has "
                    + bias.length);
        }
        this.shape = new ConvShape(weight.dim(1) * groups, out, weight.dim(2), stride, pad, bias != null, groups);
        this.weight = new Param(name + ".W", weight);
        this.bias = bias == null ? null : new Param(name + ".b", new Tensor(bias, out));
    }

    /** The layer's geometry. */
    public ConvShape shape() {
        return shape;
    }

    public int inChannels() {
        return shape.in();
    }

    public int outChannels() {
        return shape.out();
    }

    public int kernel() {
        return shape.kernel();
    }

    public int stride() {
        return shape.stride();
    }

    public int pad() {
        return shape.pad();
    }

    /** The number of groups (1 for an ordinary conv, the input channels for a depthwise one). */
    public int groups() {
        return shape.groups();
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
        Conv2d c = new Conv2d(name(), weight.valueTensor(), bias == null ? null : bias.valueFloats(), shape.stride(),
                shape.pad(), shape.groups(), activation());
        c.bindLike(this);
        return c;
    }

    @Override
    public Tensor lastInputTensor() {
        if (lastInput == null) {
            throw noForward(name());
        }
        return lastInput;
    }

    private int outSize(int size) {
        int o = shape.outSize(size);
        if (o < 1) {
            throw new IllegalArgumentException("conv " + name() + ": input size " + size + " is smaller than kernel "
                    + shape.kernel() + " with pad " + shape.pad());
        }
        return o;
    }

    /** This layer's computation on its engine's backend, created on first use of that backend. */
    private ConvBackend.Conv conv(Engine engine) {
        if (convFrom != engine.conv()) {
            conv = engine.conv().create(shape);
            convFrom = engine.conv();
        }
        return conv;
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        int in = shape.in();
        int out = shape.out();
        requireRank(x, 4, name(), "[N, " + in + ", H, W]");
        if (x.dim(1) != in) {
            throw new IllegalArgumentException("conv " + name() + " expects " + in + " input channels but got " + x);
        }
        Engine engine = engine();
        int n = x.dim(0);
        int h = x.dim(2);
        int w = x.dim(3);
        int oh = outSize(h);
        int ow = outSize(w);
        float[] wv = currentWeight();
        float[] bv = currentBias();
        lastInput = x;
        lastWeight = wv;
        float[] y = new float[n * out * oh * ow];
        conv(engine).forward(engine, x.data(), n, h, w, wv, bv, y);
        return new Tensor(y, n, out, oh, ow);
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
        int out = shape.out();
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
        Engine engine = engine();
        float[] gv = g.data();
        float[] db = new float[out];
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
        float[] dw = new float[shape.weights()];
        float[] dx = inputGradient ? new float[x.size()] : null;
        conv(engine).backward(engine, x.data(), n, h, w, gv, lastWeight, dw, dx);
        float[] gw = weight.gradFloats();
        for (int i = 0; i < dw.length; i++) {
            gw[i] += dw[i];
        }
        if (bias != null) {
            bias.accumulate(db);
        }
        return inputGradient ? new Tensor(dx, x.shape()) : null;
    }
}
