package org.ternsweep.results.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ternsweep.results.model.ReportData;
import org.ternsweep.results.model.SummaryRow;

class MarkdownReportTest {

    private static String accuracyRow(String md, String method) {
        return Arrays.stream(md.split("\n")).filter(l -> l.startsWith("| cnn-small | " + method + " |"))
                .findFirst().orElseThrow(() -> new AssertionError("no accuracy row for " + method + " in\n" + md));
    }

    @Test
    void bestOperatorIsBoldAndMarkersFollowHolmPValues() {
        ReportData data = SyntheticReport.build("mquant", "adaround");
        String md = MarkdownReport.render(data);
        String dataFree = accuracyRow(md, "data-free");
        String[] cells = dataFree.split(" \\| ");
        // columns: model | method | granularity | seeds | float | native | mquant | tquant | failed
        assertEquals("91.12", cells[4]);
        SummaryRow mq = data.summary().stream().filter(s -> s.group().method().equals("data-free")
                && s.operator().operator().equals("mquant")).findFirst().orElseThrow();
        String expected = "**" + ResultTable.percent(mq.accuracyMean()) + " ± " + ResultTable.percent(mq.accuracyStd()) + "** \\*\\*";
        assertEquals(expected, cells[6], "best of the row, Holm p = 0.003");
        assertTrue(cells[7].endsWith(" \\*") && !cells[7].startsWith("**"), "tquant, Holm p = 0.03: " + cells[7]);
        assertTrue(!cells[5].contains("\\*") && !cells[5].startsWith("**"), "reference has no marker: " + cells[5]);
        String adaround = accuracyRow(md, "adaround");
        assertTrue(adaround.contains(" †"), "one pair gives the dagger: " + adaround);
        assertTrue(adaround.contains("(1 failed)") && adaround.endsWith("| 1 | 0 |"), adaround);
        assertTrue(adaround.contains("| 3–4 |"), "tquant has 3 OK seeds: " + adaround);
    }

    @Test
    void hasFloatFirstTimesComparisonsAndLegend() {
        String md = MarkdownReport.render(SyntheticReport.build("mquant", "adaround"));
        assertTrue(md.contains("| model | method | granularity | seeds | float | native | mquant | tquant | failed |"), md);
        for (String part : List.of("## Processing time", "## Paired comparisons against `native`",
                "## Paired comparisons between operators", "## Legend", "† fewer than 2 pairs", "- git\\_commit: `b2af921`",
                "## Precision and sources of variance", "| BCa 95 % CI |", "| BCa 95 % CI (pp) | d_z | P(A > B) |",
                "- BCa 95 % CI: range for the mean", "- d_z: mean difference", "- P(A > B): fraction",
                "- ε_W2 / ε_min:", "- ⊘ / collapsed:", "10000 bootstrap resamples", "SplittableRandom seed 1987")) {
            assertTrue(md.contains(part), "missing '" + part + "' in\n" + md);
        }
        assertTrue(md.startsWith("# Sweep `quick & dirty_test`"), md.substring(0, 40));
    }

    @Test
    void tableCellsEscapePipesAndEmphasis() {
        assertEquals("a\\|b \\*c\\* d\\_e", MarkdownReport.cell("a|b *c* d_e"));
    }
}
