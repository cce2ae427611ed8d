package org.ternsweep.quant;

/**
 * Support equalization ("TQuant", Yvinec, Dapogny, Bailly, ICIP 2023, arXiv 2306.17442; spec §2):
 * t = M/3 and λ = 2M/3, so the bins [-M,-t), [-t,t], (t,M] have equal width and the worst-case error
 * max(t, λ - t, M - λ) is minimal, M/3.
 */
public final class TQuantOperator extends MaxScaledOperator {
    /** The catalog name. */
    public static final String NAME = "tquant";

    public TQuantOperator() {
        super(1, 3, 2, 3);
    }

    @Override
    public String name() {
        return NAME;
    }
}
