package org.ternsweep.results.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Expected values come from driver/src/test/resources/org/ternsweep/driver/stats/reference_values.py:
 * exact p-values by brute-force enumeration of all 2^n sign patterns (itertools.product, mid-ranks), the
 * no-tie case also by scipy.stats.wilcoxon(method="exact"), the large case by
 * scipy.stats.wilcoxon(correction=True, method="approx") (scipy 1.10).
 */
class WilcoxonSignedRankTest {

    @Test
    void exactWithoutTiesMatchesEnumerationAndScipy() {
        double[] d = {0.031, -0.012, 0.044, 0.005, 0.027, -0.019, 0.038, 0.016, 0.009};
        WilcoxonSignedRank.Result r = WilcoxonSignedRank.test(d);
        assertTrue(r.exact());
        assertEquals(9, r.nNonZero());
        assertEquals(37.0, r.wPlus(), 0.0);
        assertEquals(0.09765625, r.pValue(), 1e-12);
    }

    @Test
    void exactWithTiesAndAZeroMatchesEnumeration() {
        // the zero is dropped; |0.012| twice and |0.007| twice are tied (mid-ranks)
        double[] d = {0.012, -0.004, 0.012, 0.007, -0.007, 0.0, 0.021, 0.003};
        WilcoxonSignedRank.Result r = WilcoxonSignedRank.test(d);
        assertEquals(7, r.nNonZero());
        assertEquals(22.5, r.wPlus(), 0.0);
        assertEquals(0.1875, r.pValue(), 1e-12);
    }

    @Test
    void allPositiveSixPairsGivesTheSmallestExactPValue() {
        double[] d = {0.3107, 0.2831, 0.3242, 0.2973, 0.2692, 0.3193};
        assertEquals(2.0 / 64.0, WilcoxonSignedRank.test(d).pValue(), 1e-15);
    }

    @Test
    void tiesRoundedFromAccuraciesAreStillTies() {
        // 0.4351-0.4101 and 0.4290-0.4040 are both 0.025 but differ in the last bits as doubles
        double[] d = {0.4351 - 0.4101, 0.4290 - 0.4040, -0.01};
        assertEquals(WilcoxonSignedRank.doubledMidRanks(d)[0], WilcoxonSignedRank.doubledMidRanks(d)[1]);
    }

    @Test
    void largeSampleUsesTieCorrectedNormalApproximation() {
        double[] d = new double[60];
        for (int i = 0; i < 60; i++) {
            // same construction as reference_values.py: np.round(np.sin(k*1.7)*0.02 + 0.004, 3), k = 1..60
            d[i] = Math.round((Math.sin((i + 1) * 1.7) * 0.02 + 0.004) * 1000.0) / 1000.0;
        }
        WilcoxonSignedRank.Result r = WilcoxonSignedRank.test(d);
        assertFalse(r.exact());
        assertEquals(0.021256105574257254, r.pValue(), 1e-9);
    }

    @Test
    void allZeroDifferencesGiveNaNWithAReason() {
        WilcoxonSignedRank.Result r = WilcoxonSignedRank.test(new double[] {0.0, 0.0, 0.0});
        assertTrue(Double.isNaN(r.pValue()));
        assertTrue(r.note().contains("all 3 differences are zero"), r.note());
    }

    @Test
    void singleNonZeroDifferenceHasPValueOne() {
        // one sign pattern of two is as extreme: 2·min(1/2, 1) = 1
        assertEquals(1.0, WilcoxonSignedRank.test(new double[] {0.02}).pValue(), 0.0);
    }

    @Test
    void commonsMathExactPValueIsWrongWhereThisClassIsRight() {
        // Why WilcoxonSignedRank exists: commons-math3 3.6.1 returns 1.25 (> 1) for a perfectly balanced
        // sample; enumeration gives 1 (every sign pattern is at least as extreme on one side).
        double[] x = {1, -1, 2, -2};
        double[] zeros = {0, 0, 0, 0};
        double commons = new org.apache.commons.math3.stat.inference.WilcoxonSignedRankTest().wilcoxonSignedRankTest(x, zeros, true);
        assertTrue(commons > 1.0, "commons-math3 was fixed; revisit WilcoxonSignedRank: got " + commons);
        assertEquals(1.0, WilcoxonSignedRank.test(x).pValue(), 0.0);
    }
}
