package org.ternsweep.results.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class LatexTablesTest {

    @Test
    void escapesEveryTenSpecialCharacter() {
        assertEquals("a\\&b\\%c\\$d\\#e\\_f\\{g\\}h\\textasciitilde{}i\\textasciicircum{}j\\textbackslash{}k",
                LatexTables.escape("a&b%c$d#e_f{g}h~i^j\\k"));
        assertEquals("per-channel", LatexTables.escape("per-channel"));
    }

    @Test
    void namesWithSpecialsAreEscapedInTheTable() {
        String tex = LatexTables.render(SyntheticReport.build("m_quant&co", "ada%round#2"));
        assertTrue(tex.contains("m\\_quant\\&co"), tex);
        assertTrue(tex.contains("ada\\%round\\#2"), tex);
        assertTrue(tex.contains("\\toprule") && tex.contains("\\midrule") && tex.contains("\\bottomrule"), tex);
        for (String line : tex.split("\n")) {
            if (line.startsWith("%")) {
                continue;
            }
            // no bare %, #, _ in the body, and every & that is not escaped is a column separator " & "
            assertFalse(Pattern.compile("(?<!\\\\)[%#_]").matcher(line).find(), "unescaped special in: " + line);
            assertFalse(line.replace("\\&", "").replace(" & ", "").contains("&"), "bare & in: " + line);
        }
    }

    @Test
    void boldBestAndMarkers() {
        String tex = LatexTables.render(SyntheticReport.build("mquant", "adaround"));
        String dataFree = tex.lines().filter(l -> l.startsWith("cnn-small & data-free")).findFirst().orElseThrow();
        assertTrue(dataFree.matches(".*\\\\textbf\\{[0-9.]+ \\$\\\\pm\\$ [0-9.]+\\}\\$\\^\\{\\*\\*\\}\\$.*"), dataFree);
        String adaround = tex.lines().filter(l -> l.startsWith("cnn-small & adaround")).findFirst().orElseThrow();
        assertTrue(adaround.contains("$^{\\dagger}$"), adaround);
    }
}
