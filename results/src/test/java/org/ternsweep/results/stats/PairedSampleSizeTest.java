package org.ternsweep.results.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Expected values from reference_values.py (scipy.stats.nct, searching n upward); they agree with the
 * textbook one-sample t-test sample sizes for α = 0.05 two-sided, power 0.8 (Cohen 1988; G*Power):
 * d = 0.2 → 199, 0.5 → 34, 0.8 → 15, 1.0 → 10.
 */
class PairedSampleSizeTest {

    @ParameterizedTest
    @CsvSource({"0.2, 199, 0.0876571540", "0.5, 34, 0.2931756065", "0.8, 15, 0.6162327635",
            "1.0, 10, 0.8030968566", "2.0, 5, 0.9998419874"})
    void matchesNonCentralTFromScipy(double effect, int needed, double powerAtTen) {
        assertEquals(powerAtTen, PairedSampleSize.power(10, effect, 0.05), 1e-7);
        assertEquals(needed, PairedSampleSize.pairsNeeded(effect, 0.05, 0.8).getAsInt());
        assertEquals(needed, PairedSampleSize.pairsNeeded(-effect, 0.05, 0.8).getAsInt(), "sign of the effect");
    }

    @Test
    void powerAtZeroEffectIsAlpha() {
        assertEquals(0.05, PairedSampleSize.power(7, 0.0, 0.05), 1e-7);
    }

    @Test
    void zeroOrTinyEffectHasNoAdvice() {
        assertTrue(PairedSampleSize.pairsNeeded(0.0, 0.05, 0.8).isEmpty());
        assertTrue(PairedSampleSize.pairsNeeded(1e-5, 0.05, 0.8).isEmpty());
    }

    @Test
    void rejectsFewerThanTwoPairs() {
        assertThrows(IllegalArgumentException.class, () -> PairedSampleSize.power(1, 1.0, 0.05));
    }
}
