package org.ternsweep.results.stats;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.ternsweep.core.Seeds;

/**
 * Variance components on a hand-worked case, against numpy (precision_reference.py, which gets SS_between as
 * SS_total − SS_within rather than from the group means), and by simulation: the unclipped estimators are
 * unbiased, so their average over many simulated sweeps must approach the true components.
 */
class VarianceComponentsTest {

    @Test
    void handWorkedBalancedCase() {
        // groups {1, 3} and {5, 7}: means 2 and 6, grand mean 4.
        // SSB = 2·(2−4)² + 2·(6−4)² = 16, MSB = 16/(k−1) = 16; SSW = 1+1+1+1 = 4, MSW = 4/(N−k) = 2;
        // n0 = (4 − (4+4)/4)/1 = 2; between = (16 − 2)/2 = 7, within = 2, fraction 7/9.
        VarianceComponents.Result r = VarianceComponents.oneWay(new double[][] {{1, 3}, {5, 7}});
        assertAll(
                () -> assertEquals(2, r.groups()),
                () -> assertEquals(4, r.n()),
                () -> assertEquals(16.0, r.msBetween(), 1e-15),
                () -> assertEquals(2.0, r.msWithin(), 1e-15),
                () -> assertEquals(2.0, r.n0(), 1e-15),
                () -> assertEquals(7.0, r.between(), 1e-15),
                () -> assertEquals(2.0, r.within(), 1e-15),
                () -> assertEquals(7.0 / 9.0, r.betweenFraction(), 1e-15),
                () -> assertEquals("", r.note()));
    }

    @Test
    void matchesNumpy() {
        // the mean squares are about 1e-4: 1e-16 absolute is about 1e-12 relative
        for (JsonNode c : PrecisionReference.cases("variance")) {
            VarianceComponents.Result r = VarianceComponents.oneWay(PrecisionReference.nested(c.get("groups")));
            String name = c.get("name").asText();
            assertAll(name,
                    () -> assertEquals(c.get("ms_between").asDouble(), r.msBetween(), 1e-16),
                    () -> assertEquals(c.get("ms_within").asDouble(), r.msWithin(), 1e-16),
                    () -> assertEquals(c.get("n0").asDouble(), r.n0(), 1e-14),
                    () -> assertEquals(c.get("between").asDouble(), r.between(), 1e-16),
                    () -> assertEquals(c.get("within").asDouble(), r.within(), 1e-16),
                    () -> assertEquals(c.get("between_fraction").asDouble(), r.betweenFraction(), 1e-12));
        }
    }

    @Test
    void labelledValuesAreGroupedByLabel() {
        VarianceComponents.Result r = VarianceComponents.oneWay(new double[] {5, 1, 7, 3}, new long[] {9, 4, 9, 4});
        assertEquals(7.0, r.between(), 1e-15);
        assertEquals(2.0, r.within(), 1e-15);
    }

    @Test
    void negativeBetweenEstimateIsClippedAtZero() {
        // equal group means: MSB = 0 < MSW
        VarianceComponents.Result r = VarianceComponents.oneWay(new double[][] {{1, 3}, {3, 1}});
        assertEquals(0.0, r.msBetween(), 0.0);
        assertEquals(0.0, r.between(), 0.0);
        assertEquals(2.0, r.within(), 1e-15);
        assertEquals(0.0, r.betweenFraction(), 0.0);
        assertTrue(r.note().contains("clipped"), r.note());
    }

    @Test
    void undefinedWithoutTwoGroupsOrWithoutReplication() {
        VarianceComponents.Result one = VarianceComponents.oneWay(new double[][] {{0.4, 0.5}, {}});
        assertTrue(Double.isNaN(one.between()) && Double.isNaN(one.within()), one.toString());
        assertTrue(one.note().startsWith("fewer than 2 model seeds"), one.note());
        VarianceComponents.Result single = VarianceComponents.oneWay(new double[][] {{0.4}, {0.5}, {0.45}});
        assertTrue(Double.isNaN(single.between()) && Double.isNaN(single.within()), single.toString());
        assertTrue(single.note().startsWith("one seed per model seed"), single.note());
        VarianceComponents.Result flat = VarianceComponents.oneWay(new double[][] {{0.4, 0.4}, {0.4, 0.4}});
        assertEquals(0.0, flat.between(), 0.0);
        assertEquals(0.0, flat.within(), 0.0);
        assertTrue(Double.isNaN(flat.betweenFraction()));
        assertTrue(flat.note().startsWith("all values equal"), flat.note());
        assertThrows(IllegalArgumentException.class,
                () -> VarianceComponents.oneWay(new double[][] {{0.4, Double.NaN}, {0.5, 0.6}}));
    }

    @Test
    void unclippedEstimatorsAreUnbiasedOnSimulatedUnbalancedSweeps() {
        // σ_a² = 4e-4 (model seed), σ_e² = 1e-4 (cell seed); groups of 2, 2, 12 and 2 seeds: N = 18,
        // n0 = (18 − 156/18)/3 = 3.11, far from the mean group size 4.5
        double sigmaA = 0.02;
        double sigmaE = 0.01;
        int[] sizes = {2, 2, 12, 2};
        int sweeps = 4000;
        SplittableRandom rng = Seeds.stream(14L, "variance-components-test");
        double[] between = new double[sweeps];
        double[] within = new double[sweeps];
        double[] withMeanSize = new double[sweeps];
        for (int s = 0; s < sweeps; s++) {
            double[][] groups = new double[sizes.length][];
            for (int g = 0; g < sizes.length; g++) {
                double effect = sigmaA * rng.nextGaussian();
                groups[g] = new double[sizes[g]];
                for (int j = 0; j < sizes[g]; j++) {
                    groups[g][j] = 0.6 + effect + sigmaE * rng.nextGaussian();
                }
            }
            VarianceComponents.Result r = VarianceComponents.oneWay(groups);
            between[s] = (r.msBetween() - r.msWithin()) / r.n0();
            within[s] = r.within();
            withMeanSize[s] = (r.msBetween() - r.msWithin()) / 4.5;
        }
        // within 4 standard errors of the truth; it is one fixed seed, so the test is deterministic. The same
        // check with the mean group size in place of n0 is biased by 1 − 3.11/4.5 = 31 % and fails it.
        assertEquals(sigmaA * sigmaA, mean(between), 4 * standardError(between), "between");
        assertEquals(sigmaE * sigmaE, mean(within), 4 * standardError(within), "within");
        assertTrue(Math.abs(mean(withMeanSize) - sigmaA * sigmaA) > 4 * standardError(withMeanSize),
                "the simulation tells n0 from the mean group size");
    }

    private static double mean(double[] x) {
        double s = 0.0;
        for (double v : x) {
            s += v;
        }
        return s / x.length;
    }

    private static double standardError(double[] x) {
        double m = mean(x);
        double s = 0.0;
        for (double v : x) {
            s += (v - m) * (v - m);
        }
        return Math.sqrt(s / (x.length - 1) / x.length);
    }
}
