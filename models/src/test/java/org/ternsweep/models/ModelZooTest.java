package org.ternsweep.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.ternsweep.engine.Layer;
import org.ternsweep.engine.Network;
import org.ternsweep.engine.Param;
import org.ternsweep.engine.Stage;

class ModelZooTest {

    @Test
    void parameterCountsMatchSpec() {
        assertEquals(80_202, ModelZoo.build("cnn-small", 0).parameterCount());
        assertEquals(77_754, ModelZoo.build("resnet-8", 0).parameterCount());
    }

    @Test
    void layerAndStageNamesAreStable() {
        Network cnn = ModelZoo.build("cnn-small", 0);
        assertEquals(List.of("conv1", "conv2", "fc1", "fc2"), cnn.weightLayers().stream().map(Layer::name).toList());
        assertEquals(List.of("conv1", "conv2", "fc1", "fc2"), cnn.stages().stream().map(Stage::name).toList());
        Network res = ModelZoo.build("resnet-8", 0);
        List<String> names = List.of("stem", "block1.conv1", "block1.conv2", "block2.conv1", "block2.conv2",
                "block2.shortcut", "block3.conv1", "block3.conv2", "block3.shortcut", "fc");
        assertEquals(names, res.weightLayers().stream().map(Layer::name).toList());
        assertEquals(names, res.foldBatchNorm().weightLayers().stream().map(Layer::name).toList());
        assertEquals(List.of("stem", "block1", "block2", "block3", "fc"),
                res.stages().stream().map(Stage::name).toList());
    }

    @Test
    void initialisationIsDeterministicPerSeedAndBounded() {
        Network a = ModelZoo.build("resnet-8", 3);
        Network b = ModelZoo.build("resnet-8", 3);
        Network c = ModelZoo.build("resnet-8", 4);
        for (int i = 0; i < a.params().size(); i++) {
            assertArrayEquals(a.params().get(i).valueFloats(), b.params().get(i).valueFloats());
        }
        assertFalse(java.util.Arrays.equals(a.params().get(0).valueFloats(), c.params().get(0).valueFloats()));
        Param fc1 = ModelZoo.build("cnn-small", 0).weightLayer("fc1").weight();
        double bound = 1 / Math.sqrt(512);
        float[] v = fc1.valueFloats();
        double max = 0;
        for (float f : v) {
            max = Math.max(max, Math.abs(f));
        }
        assertTrue(max <= bound && max > 0.9 * bound, "fc1 weights within ±1/sqrt(fan_in): max " + max);
    }

    @Test
    void unknownArchitectureNamesTheChoices() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelZoo.build("vgg", 0));
        assertTrue(e.getMessage().contains("cnn-small") && e.getMessage().contains("vgg"), e.getMessage());
    }
}
