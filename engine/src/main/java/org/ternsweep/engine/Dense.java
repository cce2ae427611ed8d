package org.ternsweep.engine;

import java.util.List;

/**
 * Fully connected layer {@code y = x·W + b} on {@code [N, nIn]} inputs, weight {@code [nIn, nOut]}
 * (DL4J's layout, output channels on axis 1), 1-D bias {@code [nOut]} (optional).
 */
public final class Dense extends WeightLayer {
    private final int nIn;
    private final int nOut;
    private final Param weight;
    private final Param bias;
    private final Gemm gemm = new Gemm();
    private Tensor lastInput;
    private float[] lastWeight;

    /** A dense layer with zero-initialised parameters (the zoo fills them). */
    public Dense(String name, int nIn, int nOut, boolean hasBias, Activation activation) {
        this(name, Tensor.zeros(nIn, nOut), hasBias ? new float[nOut] : null, activation);
    }

    /** A dense layer with the given weight {@code [nIn, nOut]} and bias (or null), both copied. */
    public Dense(String name, Tensor weight, float[] bias, Activation activation) {
        super(name, activation);
        if (weight == null || weight.rank() != 2) {
            throw new IllegalArgumentException("dense " + name + " needs a weight [nIn, nOut] but got "
                    + (weight == null ? "null" : weight.toString()));
        }
        this.nIn = weight.dim(0);
        this.nOut = weight.dim(1);
        if (bias != null && bias.length != nOut) {
            throw new IllegalArgumentException("dense " + name + " bias must have " + nOut + " values but has "
                    + bias.length);
        }
        this.weight = new Param(name + ".W", weight);
        this.bias = bias == null ? null : new Param(name + ".b", new Tensor(bias, nOut));
    }

    public int nIn() {
        return nIn;
    }

    public int nOut() {
        return nOut;
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
        return 1;
    }

    @Override
    public List<Param> params() {
        return bias == null ? List.of(weight) : List.of(weight, bias);
    }

    @Override
    public Dense copy() {
        Dense d = new Dense(name(), weight.valueTensor(), bias == null ? null : bias.valueFloats(), activation());
        d.bindLike(this);
        return d;
    }

    @Override
    public Tensor lastInputTensor() {
        if (lastInput == null) {
            throw noForward(name());
        }
        return lastInput;
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        requireRank(x, 2, name(), "[N, " + nIn + "]");
        if (x.dim(1) != nIn) {
            throw new IllegalArgumentException("dense " + name() + " expects " + nIn + " inputs but got " + x);
        }
        int n = x.dim(0);
        float[] wv = currentWeight();
        float[] bv = currentBias();
        lastInput = x;
        lastWeight = wv;
        float[] y = new float[n * nOut];
        if (bv != null) {
            for (int i = 0; i < n; i++) {
                System.arraycopy(bv, 0, y, i * nOut, nOut);
            }
        }
        gemm.multiply(false, false, n, nOut, nIn, x.data(), 0, wv, 0, y, 0, bv == null ? 0f : 1f);
        return new Tensor(y, n, nOut);
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
        int n = lastInput.dim(0);
        if (g.rank() != 2 || g.dim(0) != n || g.dim(1) != nOut) {
            throw new IllegalArgumentException("dense " + name() + " backward expects gradient [" + n + ", " + nOut
                    + "] but got " + g);
        }
        gemm.multiply(true, false, nIn, nOut, n, lastInput.data(), 0, g.data(), 0, weight.gradFloats(), 0, 1f);
        if (bias != null) {
            float[] gb = new float[nOut];
            float[] gv = g.data();
            for (int i = 0; i < n; i++) {
                for (int o = 0; o < nOut; o++) {
                    gb[o] += gv[i * nOut + o];
                }
            }
            bias.accumulate(gb);
        }
        if (!inputGradient) {
            return null;
        }
        float[] dx = new float[n * nIn];
        gemm.multiply(false, true, n, nIn, nOut, g.data(), 0, lastWeight, 0, dx, 0, 0f);
        return new Tensor(dx, n, nIn);
    }
}
