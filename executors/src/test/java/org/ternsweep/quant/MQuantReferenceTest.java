package org.ternsweep.quant;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.ternsweep.catalog.MQuantOptions;

/**
 * Reference data computed independently with numpy 2.4.6 (np.quantile's default method='linear'), so that
 * mquant's threshold and levels match what a Python user of the paper's formulas would get.
 */
class MQuantReferenceTest {

    private static final double TOL = 1e-15;

    /*
     * python3 -c "
     * import numpy as np
     * w = np.array([0.3,-1.2,0.05,2.0,-0.7,0.9,-0.15,0.0,1.1,-0.45,0.62])
     * a = np.abs(w); t = np.quantile(a, 1/3); s = a[a > t]
     * print(repr(t), repr(s.mean()), repr(np.median(s)), (a <= t).sum())
     * lo, hi = np.quantile(w, 1/3), np.quantile(w, 2/3)
     * print(repr(lo), repr(hi), repr(w[w > hi].mean()), repr((-w[w < lo]).mean()),
     *       repr(np.median(w[w > hi])), repr(np.median(-w[w < lo])))"
     * -> 0.35 0.9957142857142858 0.9 4
     *    -0.10000000000000003 0.5133333333333332 1.155 0.625 1.0 0.575
     */
    private static final double[] W = {0.3, -1.2, 0.05, 2.0, -0.7, 0.9, -0.15, 0.0, 1.1, -0.45, 0.62};

    private static INDArray w() {
        return Nd4j.create(W, new long[] {W.length}, DataType.DOUBLE);
    }

    @Test
    void thresholdIsNumpysThirdQuantileOfMagnitudes() {
        TernaryFit fit = new MQuantOperator().fit(w(), Granularity.PER_TENSOR, 0);
        assertEquals(0.35, fit.threshold(0), TOL);
        assertEquals(0.9957142857142858, fit.lambda(0), TOL);
        assertArrayEquals(new double[] {0, -1, 0, 1, -1, 1, 0, 0, 1, -1, 1},
                TestTensors.values(new MQuantOperator().codes(w(), fit)));
    }

    @Test
    void levelOptionsMatchNumpy() {
        assertEquals(0.9, new MQuantOperator(MQuantOptions.Level.MEDIAN, true)
                .fit(w(), Granularity.PER_TENSOR, 0).lambda(0), TOL);
        assertEquals(0.7, new MQuantOperator(MQuantOptions.Level.DOUBLE, true)
                .fit(w(), Granularity.PER_TENSOR, 0).lambda(0), TOL);
    }

    @Test
    void asymmetricThresholdsAndLevelsMatchNumpy() {
        TernaryFit mean = new MQuantOperator(MQuantOptions.Level.MEAN, false).fit(w(), Granularity.PER_TENSOR, 0);
        assertEquals(0.5133333333333332, mean.threshold(0), TOL);
        assertEquals(0.10000000000000003, mean.negativeThreshold(0), TOL);
        assertEquals(1.155, mean.lambda(0), TOL);
        assertEquals(0.625, mean.negativeLambda(0), TOL);
        TernaryFit median = new MQuantOperator(MQuantOptions.Level.MEDIAN, false).fit(w(), Granularity.PER_TENSOR, 0);
        assertEquals(1.0, median.lambda(0), TOL);
        assertEquals(0.575, median.negativeLambda(0), TOL);
    }

    /*
     * python3 -c "
     * import numpy as np
     * v = [0.31,0.77,0.12,0.95,0.48,0.66,0.2,0.83,0.05,0.59,0.4]
     * for n in (7, 8, 11):
     *     x = np.sort(np.array(v[:n])); print(n, repr(np.quantile(x, 1/3)), repr(np.quantile(x, 2/3)))"
     */
    @ParameterizedTest
    @CsvSource({
        "7, 0.31, 0.66",
        "8, 0.3666666666666666, 0.7333333333333333",
        "11, 0.33999999999999997, 0.6366666666666666"})
    void quantileInterpolatesLikeNumpy(int n, double third, double twoThirds) {
        double[] v = {0.31, 0.77, 0.12, 0.95, 0.48, 0.66, 0.2, 0.83, 0.05, 0.59, 0.4};
        double[] x = java.util.Arrays.copyOf(v, n);
        java.util.Arrays.sort(x);
        assertEquals(third, MQuantOperator.quantile(x, 1.0 / 3), TOL);
        assertEquals(twoThirds, MQuantOperator.quantile(x, 2.0 / 3), TOL);
    }

    @Test
    void perChannelFitsEachOutputColumnOfADenseLayerOnItsOwn() {
        // column 1 is column 0 times 4: its threshold and level must be exactly 4 times larger
        double[][] rows = new double[W.length][2];
        for (int i = 0; i < W.length; i++) {
            rows[i][0] = W[i];
            rows[i][1] = 4 * W[i];
        }
        TernaryFit fit = new MQuantOperator().fit(Nd4j.create(rows), Granularity.PER_CHANNEL, 1);
        assertEquals(0.35, fit.threshold(0), TOL);
        assertEquals(1.4, fit.threshold(1), 4 * TOL);
        assertEquals(4 * fit.lambda(0), fit.lambda(1), 4 * TOL);
    }
}
