package org.ternsweep.results.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class HolmTest {

    @Test
    void knownExampleByHand() {
        // By hand, m = 4, sorted p: 0.005·4 = 0.02; 0.01·3 = 0.03; 0.03·2 = 0.06; 0.04·1 = 0.04 → max(0.06, 0.04) = 0.06.
        double[] adjusted = Holm.adjust(new double[] {0.01, 0.04, 0.03, 0.005});
        assertArrayEquals(new double[] {0.03, 0.06, 0.06, 0.02}, adjusted, 1e-15);
    }

    @Test
    void capsAtOneAndLeavesNaNOutOfTheFamily() {
        // m = 2 finite p-values: 0.02·2 = 0.04; 0.6·1 = 0.6. NaN stays NaN and does not count in m.
        double[] adjusted = Holm.adjust(new double[] {0.6, Double.NaN, 0.02});
        assertArrayEquals(new double[] {0.6, Double.NaN, 0.04}, adjusted, 1e-15);
        assertArrayEquals(new double[] {1.0, 1.0}, Holm.adjust(new double[] {0.7, 0.9}), 0.0);
    }

    @Test
    void rejectsAValueThatIsNotAProbability() {
        assertThrows(IllegalArgumentException.class, () -> Holm.adjust(new double[] {0.01, 1.5}));
    }
}
