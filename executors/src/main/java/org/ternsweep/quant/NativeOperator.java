package org.ternsweep.quant;

/**
 * The baseline ternarization: symmetric 2-bit round-to-nearest with scale λ = M = max |w| and threshold
 * t = M/2 (spec §2). Because the largest outlier sets M, most weights of a realistic layer fall into the zero
 * bin; this is the collapse that Yvinec, Dapogny and Bailly (ICIP 2023, arXiv 2306.17442) set out to fix.
 */
public final class NativeOperator extends MaxScaledOperator {
    /** The catalog name. */
    public static final String NAME = "native";

    public NativeOperator() {
        super(1, 2, 1, 1);
    }

    @Override
    public String name() {
        return NAME;
    }
}
