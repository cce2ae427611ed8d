package org.ternsweep.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class SeedPurposeTest {

    /**
     * The purposes are hashed into every random stream, so their characters are part of the numerical contract:
     * changing one would silently change every float model, calibration subset or batch order drawn with it.
     */
    @Test
    void thePurposeStringsAreExactlyTheOnesEveryStoredResultWasDrawnWith() {
        assertEquals("calibration", SeedPurpose.CALIBRATION);
        assertEquals("reconstruction/batches", SeedPurpose.RECONSTRUCTION_BATCHES);
        assertEquals("reconstruction/batches/epoch-3", SeedPurpose.pass(SeedPurpose.RECONSTRUCTION_BATCHES, 3));
        assertEquals("init:resnet-8", SeedPurpose.modelInit("resnet-8"));
        assertEquals("train-order:epoch0", SeedPurpose.FLOAT_TRAINING_ORDER.epoch(0));
        assertEquals("qat-order:epoch2", SeedPurpose.QAT_ORDER.epoch(2));
    }

    @Test
    void anEpochOrderNeedsAPrefix() {
        assertThrows(IllegalArgumentException.class, () -> new SeedPurpose.EpochOrder(" "));
    }
}
