package org.ternsweep.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CalibrationTest {
    @Test
    void sampleIsDeterministicDistinctAndInRange() {
        int[] a = Calibration.sample(60_000, 7, 1024);
        assertArrayEquals(a, Calibration.sample(60_000, 7, 1024));
        assertEquals(1024, a.length);
        assertEquals(1024, Arrays.stream(a).distinct().count(), "without replacement");
        assertTrue(Arrays.stream(a).allMatch(i -> i >= 0 && i < 60_000));
        assertFalse(Arrays.equals(a, Calibration.sample(60_000, 8, 1024)), "another seed, another subset");
        assertTrue(Arrays.stream(a).max().getAsInt() >= 1024, "spread over the set, not the first images");
    }

    @Test
    void sampleIsTheSameForEveryOperatorAndMethod() {
        // The API cannot see the operator or method; this pins that the subset is a function of
        // (training-set size, seed, n) alone, whichever cell asks and in whatever order.
        Dataset d = new Dataset("x", new float[500 * 784], new int[500], new float[784], new int[1], "0".repeat(64));
        int[] reference = Calibration.sample(d, 3, 64);
        for (String operator : new String[] {"native", "tquant", "mquant"}) {
            for (String method : new String[] {"adaround", "brecq", "qat"}) {
                Calibration.sample(d, operator.hashCode() ^ method.hashCode(), 64); // other cells interleave
                assertArrayEquals(reference, Calibration.sample(d, 3, 64), operator + "/" + method);
            }
        }
        assertArrayEquals(reference, Calibration.sample(500, 3, 64), "depends on the size, not the instance");
    }

    @Test
    void smallerSamplesArePrefixesOfLargerOnes() {
        int[] big = Calibration.sample(60_000, 11, 1024);
        assertArrayEquals(Arrays.copyOf(big, 256), Calibration.sample(60_000, 11, 256));
    }

    @Test
    void sampleSizeIsChecked() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Calibration.sample(100, 1, 101));
        assertTrue(e.getMessage().contains("calibration size 101 must be in [1, 100]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Calibration.sample(100, 1, 0));
    }

    @Test
    void batchOrderIsDeterministicAndCoversEachEpoch() {
        int[][] b = Calibration.batchOrder(100, 32, 7, 5, "adaround/batches");
        assertEquals(7, b.length);
        for (int[] batch : b) {
            assertEquals(32, batch.length);
            assertEquals(32, Arrays.stream(batch).distinct().count());
            assertTrue(Arrays.stream(batch).allMatch(i -> i >= 0 && i < 100));
        }
        Set<Integer> epoch0 = new HashSet<>();
        for (int k = 0; k < 3; k++) { // 100 / 32 = 3 whole batches per epoch
            Arrays.stream(b[k]).forEach(epoch0::add);
        }
        assertEquals(96, epoch0.size(), "no position repeats within an epoch");
        for (int k = 0; k < 7; k++) {
            assertArrayEquals(b[k], Calibration.batchOrder(100, 32, 7, 5, "adaround/batches")[k]);
        }
        assertFalse(Arrays.equals(b[0], b[3]), "the next epoch is reshuffled");
        assertFalse(Arrays.equals(b[0], Calibration.batchOrder(100, 32, 1, 6, "adaround/batches")[0]));
        assertFalse(Arrays.equals(b[0], Calibration.batchOrder(100, 32, 1, 5, "brecq/batches")[0]));
        assertArrayEquals(b[4], Calibration.batchOrder(100, 32, 5, 5, "adaround/batches")[4],
                "a prefix of a longer run is the shorter run");
    }

    @Test
    void batchOrderChecksItsArguments() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Calibration.batchOrder(16, 32, 10, 0, "p"));
        assertTrue(e.getMessage().contains("batch 32 is larger than the calibration set (16)"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Calibration.batchOrder(16, 0, 10, 0, "p"));
        assertThrows(IllegalArgumentException.class, () -> Calibration.batchOrder(16, 4, 10, 0, " "));
        assertEquals(0, Calibration.batchOrder(16, 4, 0, 0, "p").length);
    }
}
