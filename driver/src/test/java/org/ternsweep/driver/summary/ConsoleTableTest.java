package org.ternsweep.driver.summary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.ternsweep.catalog.Catalog;

class ConsoleTableTest {
    private static SummaryRow row(String method, String methodOptions, String operator, long n, long failed,
                                  Double mean, Double std, Double q) {
        return new SummaryRow("cnn-small", "fashion-mnist", "int8", 0, method, methodOptions, "per-tensor", operator,
                "{}", n, failed, mean, std, null, mean, mean, 0.9, q, 0.1);
    }

    @Test
    void rowsAreConfigurationsColumnsAreOperators() {
        String df = "{\"bias_correction\":false,\"cle\":false}";
        String bc = "{\"bias_correction\":true,\"cle\":false}";
        String t = ConsoleTable.render(List.of(
                row("data-free", df, "native", 3, 0, 0.5, 0.01, 1.0),
                row("data-free", df, "tquant", 3, 0, 0.8123, 0.0045, 3.0),
                row("data-free", bc, "native", 1, 2, 0.6, null, 2.0),
                row("data-free", bc, "tquant", 0, 3, null, null, null)));
        String[] lines = t.split("\n");
        assertEquals(4, lines.length, t);
        assertTrue(lines[0].contains("native") && lines[0].contains("tquant") && lines[0].contains("quantize s"), t);
        assertTrue(lines[2].startsWith("cnn-small / data-free / per-tensor "), t);
        assertTrue(lines[2].contains("50.00 ± 1.00") && lines[2].contains("81.23 ± 0.45") && lines[2].endsWith("2.00"), t);
        assertTrue(lines[3].startsWith("cnn-small / data-free(bias_correction=true) / per-tensor"), t);
        assertTrue(lines[3].contains("60.00 ± n=1 (2 failed)") && lines[3].contains("- (3 failed)"), t);
    }

    @Test
    void labelsShowOnlyOptionsThatDifferFromDefaults() {
        assertEquals("mquant", ConsoleTable.labelOf(Catalog.operators().get("mquant"), "mquant", "{\"level\":\"mean\"}"));
        assertEquals("mquant(level=median)",
                ConsoleTable.labelOf(Catalog.operators().get("mquant"), "mquant", "{\"level\":\"median\"}"));
        assertEquals("qat(epochs=0.5)", ConsoleTable.labelOf(Catalog.methods().get("qat"), "qat",
                "{\"batch\":128,\"epochs\":0.5,\"lr\":1.0E-4,\"optimizer\":\"adam\",\"ste\":\"identity\"}"));
    }

    @Test
    void emptySummarySaysSo() {
        assertEquals("(no cells to summarise)\n", ConsoleTable.render(List.of()));
    }
}
