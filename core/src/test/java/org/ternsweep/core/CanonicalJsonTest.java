package org.ternsweep.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The canonical JSON's bytes are part of every stored cell id and model-cache address: pinned here on a
 * map and on a cell spec of sweeps/quick.yaml whose id is that of a stored cell of the quick sweep.
 */
class CanonicalJsonTest {
    @Test
    void keysAreSortedAtEveryLevelWithoutWhitespace() throws JsonProcessingException {
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("z", 1.0E-4);
        inner.put("a", List.of(2, "x", true));
        Map<String, Object> outer = new LinkedHashMap<>();
        outer.put("b", inner);
        outer.put("a", Map.of());
        outer.put("c", 2L);
        assertEquals("{\"a\":{},\"b\":{\"a\":[2,\"x\",true],\"z\":1.0E-4},\"c\":2}", CanonicalJson.write(outer));
    }

    @Test
    void aQuickSweepCellKeepsItsStoredId() {
        assertEquals(QUICK_CELL_ID, CellSpec.fromJson(QUICK_CELL_JSON).cellId());
        assertEquals(QUICK_CELL_JSON, CellSpec.fromJson(QUICK_CELL_JSON).canonicalJson());
    }

    /** The spec_json of a stored cell of sweeps/quick.yaml (native, AdaRound, per-tensor, seed 1). */
    static final String QUICK_CELL_JSON = "{\"dataset\":\"fashion-mnist\","
            + "\"evaluation\":{\"batch\":500,\"test_subset\":0},\"first_last\":\"int8\","
            + "\"granularity\":\"per-tensor\",\"method\":\"adaround\","
            + "\"method_options\":{\"batch\":32,\"calibration\":256,\"iterations\":200,\"lr\":0.01,"
            + "\"preset\":\"cpu\",\"reg\":0.01},\"model\":\"cnn-small\",\"model_seed\":0,"
            + "\"operator\":\"native\",\"operator_options\":{},\"recipe\":{\"batch\":128,\"epochs\":2.0,"
            + "\"lr\":0.001,\"train_subset\":0},\"seed\":1}";
    static final String QUICK_CELL_ID = "138e381f8bd1c4bf3eb3590070b66f393685cdf616659386f1f9c391135d95bf";
}
