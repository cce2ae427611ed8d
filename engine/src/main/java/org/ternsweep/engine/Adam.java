package org.ternsweep.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * Adam (Kingma &amp; Ba 2015) with PyTorch's defaults and update form: β = (0.9, 0.999), eps 1e-8,
 * {@code p ← p − lr/(1−β1^t) · m / (sqrt(v)/sqrt(1−β2^t) + eps)}, no weight decay.
 */
public final class Adam implements Optimizer {
    private final List<Param> params;
    private final double lr;
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final List<float[]> m = new ArrayList<>();
    private final List<float[]> v = new ArrayList<>();
    private int t;

    /** Adam with PyTorch's default betas and eps. */
    public Adam(List<Param> params, double lr) {
        this(params, lr, 0.9, 0.999, 1e-8);
    }

    public Adam(List<Param> params, double lr, double beta1, double beta2, double eps) {
        if (params == null) {
            throw new IllegalArgumentException("Adam needs a list of parameters");
        }
        if (!(lr > 0) || !(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1) || !(eps > 0)) {
            throw new IllegalArgumentException("Adam needs lr > 0, 0 <= beta < 1, eps > 0; got lr " + lr
                    + " betas " + beta1 + "," + beta2 + " eps " + eps);
        }
        this.params = List.copyOf(params);
        this.lr = lr;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        for (Param p : this.params) {
            m.add(new float[(int) p.length()]);
            v.add(new float[(int) p.length()]);
        }
    }

    @Override
    public List<Param> params() {
        return params;
    }

    /** Number of steps taken. */
    public int steps() {
        return t;
    }

    @Override
    public void step() {
        t++;
        double bc1 = 1 - Math.pow(beta1, t);
        double bc2 = Math.sqrt(1 - Math.pow(beta2, t));
        float stepSize = (float) (lr / bc1);
        float b1 = (float) beta1;
        float b2 = (float) beta2;
        float invBc2 = (float) (1 / bc2);
        float e = (float) eps;
        for (int i = 0; i < params.size(); i++) {
            Param p = params.get(i);
            float[] w = p.valueFloats();
            float[] g = p.gradFloats();
            float[] mi = m.get(i);
            float[] vi = v.get(i);
            for (int j = 0; j < w.length; j++) {
                float gj = g[j];
                mi[j] = b1 * mi[j] + (1 - b1) * gj;
                vi[j] = b2 * vi[j] + (1 - b2) * gj * gj;
                w[j] -= stepSize * mi[j] / ((float) Math.sqrt(vi[j]) * invBc2 + e);
            }
        }
    }
}
