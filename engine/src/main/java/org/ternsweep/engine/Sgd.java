package org.ternsweep.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * Stochastic gradient descent with momentum, PyTorch's form: {@code buf ← μ·buf + g} (buf = g on the
 * first step), {@code p ← p − lr·buf}; no dampening, no Nesterov, no weight decay.
 */
public final class Sgd implements Optimizer {
    /** The momentum used when none is given. */
    public static final double DEFAULT_MOMENTUM = 0.9;

    private final List<Param> params;
    private final double lr;
    private final double momentum;
    private final List<float[]> buf = new ArrayList<>();
    private boolean started;

    public Sgd(List<Param> params, double lr) {
        this(params, lr, DEFAULT_MOMENTUM);
    }

    public Sgd(List<Param> params, double lr, double momentum) {
        if (params == null) {
            throw new IllegalArgumentException("SGD needs a list of parameters");
        }
        if (!(lr > 0) || !(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("SGD needs lr > 0 and 0 <= momentum < 1; got lr " + lr
                    + " momentum " + momentum);
        }
        this.params = List.copyOf(params);
        this.lr = lr;
        this.momentum = momentum;
        for (Param p : this.params) {
            buf.add(new float[(int) p.length()]);
        }
    }

    @Override
    public List<Param> params() {
        return params;
    }

    @Override
    public void step() {
        float mu = (float) momentum;
        float rate = (float) lr;
        for (int i = 0; i < params.size(); i++) {
            Param p = params.get(i);
            float[] w = p.valueFloats();
            float[] g = p.gradFloats();
            float[] b = buf.get(i);
            for (int j = 0; j < w.length; j++) {
                b[j] = started ? mu * b[j] + g[j] : g[j];
                w[j] -= rate * b[j];
            }
        }
        started = true;
    }
}
