package org.ternsweep.driver.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The efficiency arithmetic of docs/BENCHMARKS.md "Sweep efficiency". */
class FanOutStatsTest {
    @Test
    void efficiencyAndOverheadPerCell() {
        FanOutStats s = new FanOutStats(10, 50.0, 90.0, 2);
        assertEquals(0.9, s.efficiency(), 1e-12);
        assertEquals(1.0, s.overheadPerCell(), 1e-12);
        assertEquals("ran 10 cells in 50.0 s (Σ cell compute 90.0 s on 2 task slots: efficiency 0.90, driver"
                + " overhead 1.00 s per cell)", s.describe());
    }

    @Test
    void nonsenseIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new FanOutStats(0, 1, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new FanOutStats(1, 0, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new FanOutStats(1, 1, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new FanOutStats(1, 1, Double.NaN, 1));
    }
}
