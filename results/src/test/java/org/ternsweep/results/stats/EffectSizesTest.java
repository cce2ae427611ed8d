package org.ternsweep.results.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/** Cohen's d<sub>z</sub> and P(A &gt; B) on hand-worked cases and against numpy (precision_reference.py). */
class EffectSizesTest {

    @Test
    void handWorkedCase() {
        // d = a − b = {0.01, 0.03, −0.01, 0.02, 0.00}: mean 0.05/5 = 0.01; deviations 0, 0.02, −0.02, 0.01, −0.01,
        // squares 0.001 in all, sd = √(0.001/4) = √0.00025; d_z = 0.01/√0.00025 = √0.4 = 0.632455532...
        // P(A > B): three wins, one tie (half), one loss: 3.5/5 = 0.7
        double[] a = {0.51, 0.53, 0.49, 0.52, 0.50};
        double[] b = {0.50, 0.50, 0.50, 0.50, 0.50};
        double[] d = new double[5];
        for (int i = 0; i < 5; i++) {
            d[i] = a[i] - b[i];
        }
        assertEquals(Math.sqrt(0.4), EffectSizes.cohensDz(d), 1e-12);
        assertEquals(0.7, EffectSizes.probabilityOfImprovement(a, b), 1e-15);
        assertEquals(0.7, EffectSizes.probabilityOfImprovement(d), 1e-15);
    }

    @Test
    void matchesNumpy() {
        for (JsonNode c : PrecisionReference.cases("effect")) {
            double[] a = PrecisionReference.doubles(c.get("a"));
            double[] b = PrecisionReference.doubles(c.get("b"));
            double[] d = new double[a.length];
            for (int i = 0; i < d.length; i++) {
                d[i] = a[i] - b[i];
            }
            String name = c.get("name").asText();
            assertEquals(c.get("d_z").asDouble(), EffectSizes.cohensDz(d), 1e-12, name);
            assertEquals(c.get("p_improvement").asDouble(), EffectSizes.probabilityOfImprovement(a, b), 1e-15, name);
        }
    }

    @Test
    void aTieByRoundingCountsHalf() {
        // 0.4402 − 0.4402 is exactly 0, but 0.3 − 0.1 − 0.2 is −2.8e-17: both are ties
        assertEquals(0.5, EffectSizes.probabilityOfImprovement(new double[] {0.3 - 0.1 - 0.2}), 0.0);
        assertEquals(0.75, EffectSizes.probabilityOfImprovement(new double[] {0.3 - 0.1 - 0.2, 0.01}), 0.0);
    }

    @Test
    void dzIsAntisymmetricAndScaleFree() {
        double[] d = {0.012, -0.004, 0.012, 0.007, -0.007, 0.0, 0.021, 0.003};
        double[] minus = new double[d.length];
        double[] scaled = new double[d.length];
        for (int i = 0; i < d.length; i++) {
            minus[i] = -d[i];
            scaled[i] = 100.0 * d[i];
        }
        double dz = EffectSizes.cohensDz(d);
        assertEquals(-dz, EffectSizes.cohensDz(minus), 1e-15);
        assertEquals(dz, EffectSizes.cohensDz(scaled), 1e-12);
        assertEquals(1.0 - EffectSizes.probabilityOfImprovement(d), EffectSizes.probabilityOfImprovement(minus), 1e-15);
    }

    @Test
    void undefinedWhereTheRatioHasNoMeaning() {
        assertTrue(Double.isNaN(EffectSizes.cohensDz(new double[0])));
        assertTrue(Double.isNaN(EffectSizes.cohensDz(new double[] {0.3})), "one pair has no spread");
        assertTrue(Double.isNaN(EffectSizes.cohensDz(new double[] {0.02, 0.02, 0.02})), "equal differences: sd 0");
        assertTrue(Double.isNaN(EffectSizes.probabilityOfImprovement(new double[0])));
        assertEquals(1.0, EffectSizes.probabilityOfImprovement(new double[] {0.02, 0.02, 0.02}), 0.0);
    }

    @Test
    void badArgumentsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> EffectSizes.cohensDz(new double[] {0.1, Double.NaN}));
        assertThrows(IllegalArgumentException.class,
                () -> EffectSizes.probabilityOfImprovement(new double[] {0.1}, new double[] {0.1, 0.2}));
    }
}
