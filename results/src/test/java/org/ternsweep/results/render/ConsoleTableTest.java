package org.ternsweep.results.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ternsweep.catalog.Catalog;
import org.ternsweep.results.model.CellRow;
import org.ternsweep.results.model.ReportData;
import org.ternsweep.results.model.SummaryRow;
import org.ternsweep.results.stats.Statistics;

class ConsoleTableTest {
    static final String DF = "{\"bias_correction\":false,\"cle\":false}";
    static final String BC = "{\"bias_correction\":true,\"cle\":false}";

    private static CellRow cell(String methodOptions, String operator, long seed, double accuracy, boolean ok) {
        return new CellRow(operator + methodOptions + seed, ok ? CellRow.Status.OK : CellRow.Status.FAILED,
                "cnn-small", "fashion-mnist", 0, seed, operator, "{}", "per-tensor", "data-free", methodOptions, "int8",
                ok ? accuracy : Double.NaN, 0.1, 0.9, ok ? 1.0 + seed : Double.NaN, 0.1, List.of(),
                ok ? null : "java.lang.IllegalStateException", ok ? null : "boom");
    }

    private static ReportData data(List<CellRow> cells, String reference) {
        return new ReportData("t", "", null, reference, cells, Statistics.summarize(cells),
                Statistics.compare(cells, reference));
    }

    @Test
    void rowsAreConfigurationsColumnsAreOperatorsWithMarkers() {
        List<CellRow> cells = new ArrayList<>();
        double[] nat = {0.50, 0.51, 0.49, 0.50, 0.52};
        for (int s = 0; s < 5; s++) {
            cells.add(cell(DF, "native", s, nat[s], true));
            // tquant is 30 points better at every seed, with a little noise: p << 0.01
            cells.add(cell(DF, "tquant", s, nat[s] + 0.30 + 0.001 * s, true));
        }
        cells.add(cell(BC, "native", 0, 0.6, true));
        cells.add(cell(BC, "native", 1, 0, false));
        cells.add(cell(BC, "tquant", 0, 0, false));
        String t = ConsoleTable.render(data(cells, "native"));
        String[] lines = t.split("\n");
        assertEquals(5, lines.length, t);
        assertTrue(lines[0].startsWith("model / method / granularity"), t);
        assertTrue(lines[0].indexOf("native") < lines[0].indexOf("tquant"), "the reference comes first: " + t);
        assertTrue(lines[0].endsWith("quantize s"), t);
        assertTrue(lines[2].startsWith("cnn-small / data-free / per-tensor "), t);
        assertTrue(lines[2].contains("50.40 ± 1.14") && lines[2].contains("80.60 ± 1.21 ** <"), t);
        assertTrue(lines[2].endsWith("3.00"), t);
        assertTrue(lines[3].startsWith("cnn-small / data-free(bias_correction=true) / per-tensor"), t);
        assertTrue(lines[3].contains("60.00 ± n=1 < (1 failed)") && lines[3].contains("- (1 failed)"), t);
        assertTrue(lines[4].startsWith("vs native, paired by seed"), t);
    }

    @Test
    void missingReferenceIsSaidAndGivesNoMarkers() {
        List<CellRow> cells = List.of(cell(DF, "tquant", 0, 0.8, true), cell(DF, "tquant", 1, 0.7, true));
        String t = ConsoleTable.render(data(cells, "native"));
        assertTrue(t.contains("75.00 ± 7.07 <"), t);
        assertTrue(!t.contains("*") && t.contains("reference operator native is not in this sweep"), t);
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
        assertEquals("(no cells to summarise)\n", ConsoleTable.render(data(List.of(), "native")));
    }

    @Test
    void collapsedCellsAreCountedAndMarkedInEveryTable() {
        List<CellRow> cells = List.of(cell(DF, "native", 0, 0.105, true), cell(DF, "native", 1, 0.31, true),
                cell(DF, "native", 2, 0.0799, true), cell(DF, "mquant", 0, 0.62, true), cell(DF, "mquant", 1, 0.63, true),
                cell(DF, "mquant", 2, 0.64, true));
        ReportData d = data(cells, "native");
        SummaryRow nat = d.summary().stream().filter(r -> r.operator().operator().equals("native")).findFirst()
                .orElseThrow();
        assertEquals(1, nat.spread().nCollapsed(), "0.105 is within 2 points of 1/10, 0.0799 just outside: " + nat);
        assertTrue(ConsoleTable.render(d).contains("(1 collapsed)"), ConsoleTable.render(d));
        String md = MarkdownReport.render(d);
        assertTrue(md.lines().anyMatch(l -> l.contains(" ⊘ |") && l.endsWith("| 0 | 1 |")), md);
        assertTrue(LatexTables.render(d).contains("$^{c}$"), LatexTables.render(d));
    }
}
