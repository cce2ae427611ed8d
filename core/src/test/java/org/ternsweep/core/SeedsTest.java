package org.ternsweep.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SeedsTest {
    @Test
    void streamsAreKeyedBySeedAndPurpose() {
        assertEquals(Seeds.derive(1, "calibration"), Seeds.derive(1, "calibration"));
        assertNotEquals(Seeds.derive(1, "calibration"), Seeds.derive(2, "calibration"));
        assertNotEquals(Seeds.derive(1, "calibration"), Seeds.derive(1, "qat/shuffle"));
        assertEquals(Seeds.stream(5, "x").nextLong(), Seeds.stream(5, "x").nextLong());
        assertEquals(Seeds.random(5, "x").nextInt(), Seeds.random(5, "x").nextInt());
    }

    @Test
    void derivationIsPinned() {
        // the first 8 bytes of SHA-256(int64 big-endian 1 ‖ "calibration"), computed with Python's hashlib
        assertEquals(-6200800105259842770L, Seeds.derive(1, "calibration"));
    }

    @Test
    void permutationIsAPermutation() {
        int[] p = Seeds.permutation(1000, 9, "p");
        assertArrayEquals(p, Seeds.permutation(1000, 9, "p"));
        int[] sorted = p.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < sorted.length; i++) {
            assertEquals(i, sorted[i]);
        }
        assertNotEquals(Arrays.toString(p), Arrays.toString(sorted), "shuffled");
    }
}
