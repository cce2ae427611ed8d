package org.ternsweep.nn;

import java.util.List;

/** Rectified linear unit, element-wise; backward passes the gradient where the output was positive. */
public final class ReLU extends Layer {
    private float[] lastOutput;
    private int[] lastShape;

    public ReLU(String name) {
        super(name);
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        float[] xv = x.data();
        float[] y = new float[xv.length];
        for (int i = 0; i < xv.length; i++) {
            y[i] = Math.max(xv[i], 0f);
        }
        lastOutput = y;
        lastShape = x.shape();
        return new Tensor(y, lastShape);
    }

    @Override
    public Tensor backward(Tensor gradOut) {
        if (lastOutput == null) {
            throw noForward(name());
        }
        if (gradOut.size() != lastOutput.length) {
            throw new IllegalArgumentException("relu " + name() + " backward got " + gradOut
                    + " after a forward of " + java.util.Arrays.toString(lastShape));
        }
        float[] g = gradOut.data();
        float[] dx = new float[g.length];
        for (int i = 0; i < g.length; i++) {
            dx[i] = lastOutput[i] > 0f ? g[i] : 0f;
        }
        return new Tensor(dx, lastShape);
    }

    @Override
    public List<Param> params() {
        return List.of();
    }

    @Override
    public ReLU copy() {
        return new ReLU(name());
    }
}
