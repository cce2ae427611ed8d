package org.ternsweep.quant;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.ternsweep.core.LayerDiagnostics;

/**
 * Measures what quantization did to one layer's weights (spec §6), so that a result can be explained layer by
 * layer (e.g. native sending most weights of a layer to zero).
 *
 * <ul>
 *   <li>λ and t: means over the fit's groups (and over both signs for an asymmetric fit); NaN without a fit.</li>
 *   <li>Code fractions: the share of quantized weights below, at and above zero — read from {@code q}, not
 *       from the fit, so a method that moved codes (AdaRound, BRECQ) is reported as it ended. NaN for int8 and
 *       fp layers, which have no ternary codes.</li>
 *   <li>relMSE = Σ(w−q)² / Σ(w−w̄)², the weight MSE over the population variance of w. A constant w (zero
 *       variance) gives 0 when q = w and +∞ otherwise.</li>
 *   <li>SQNR dB = 10·log10(Σw² / Σ(w−q)²); +∞ when q = w exactly (fp layers, or an all-zero tensor), which
 *       Parquet and the reports carry as Infinity.</li>
 * </ul>
 */
public final class Diagnostics {
    private Diagnostics() {
    }

    /**
     * Diagnostics of one layer.
     *
     * @param layer     the layer's name in network order
     * @param scheme    ternary, int8 or fp ({@link LayerScheme})
     * @param w         the float weights
     * @param q         the quantized weights, same shape as {@code w}
     * @param fitOrNull the operator's fit for a ternary layer, or null (always null for int8 and fp)
     * @throws IllegalArgumentException for an unknown scheme, mismatched shapes, or a fit on a non-ternary layer
     */
    public static LayerDiagnostics of(String layer, String scheme, INDArray w, INDArray q, TernaryFit fitOrNull) {
        if (layer == null || layer.isBlank()) {
            throw new IllegalArgumentException("layer diagnostics need the layer's name, got '" + layer + "'");
        }
        LayerScheme s = LayerScheme.fromName(scheme);
        if (s != LayerScheme.TERNARY && fitOrNull != null) {
            throw new IllegalArgumentException("layer " + layer + " is " + s
                    + " but a ternary fit was given; pass null for int8 and fp layers");
        }
        double[] wv = WeightArrays.values(w);
        double[] qv = WeightArrays.values(q);
        if (!Arrays.equals(w.shape(), q.shape())) {
            throw new IllegalArgumentException("layer " + layer + ": quantized shape " + Arrays.toString(q.shape())
                    + " differs from weight shape " + Arrays.toString(w.shape()));
        }
        if (fitOrNull != null) {
            WeightArrays.requireLayout(w, fitOrNull.layout());
        }
        int n = wv.length;
        double mean = 0;
        for (double x : wv) {
            mean += x;
        }
        mean /= n;
        double energy = 0;
        double error = 0;
        double spread = 0;
        long neg = 0;
        long zero = 0;
        for (int i = 0; i < n; i++) {
            double e = wv[i] - qv[i];
            error += e * e;
            energy += wv[i] * wv[i];
            spread += (wv[i] - mean) * (wv[i] - mean);
            if (qv[i] < 0) {
                neg++;
            } else if (qv[i] == 0) {
                zero++;
            }
        }
        double relMse = error == 0 ? 0.0 : spread == 0 ? Double.POSITIVE_INFINITY : error / spread;
        double sqnr = error == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(energy / error);
        boolean ternary = s == LayerScheme.TERNARY;
        double fracNeg = ternary ? (double) neg / n : Double.NaN;
        double fracZero = ternary ? (double) zero / n : Double.NaN;
        double fracPos = ternary ? (double) (n - neg - zero) / n : Double.NaN;
        double lambda = fitOrNull == null ? Double.NaN : fitOrNull.meanLambda();
        double threshold = fitOrNull == null ? Double.NaN : fitOrNull.meanThreshold();
        return new LayerDiagnostics(layer, s.label(), n, lambda, threshold, fracNeg, fracZero, fracPos, relMse, sqnr);
    }
}
