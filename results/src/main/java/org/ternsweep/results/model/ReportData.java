package org.ternsweep.results.model;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Everything a report is rendered from: the sweep as resolved, the observed provenance facts, every
 * cell, and the statistics computed from them.
 *
 * @param sweepYaml  the resolved sweep file text (defaults filled in), shown in the notebook
 * @param provenance observed facts of the run (versions, host, JVM, OS/arch, git commit...), sorted by key
 * @param reference  the operator the comparisons are made against (default "native")
 */
public record ReportData(String sweepName, String sweepYaml, Map<String, String> provenance, String reference,
                         List<CellRow> cells, List<SummaryRow> summary, List<ComparisonRow> comparisons) {

    public ReportData {
        Objects.requireNonNull(sweepName, "sweepName");
        sweepYaml = sweepYaml == null ? "" : sweepYaml;
        provenance = provenance == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(provenance));
        Objects.requireNonNull(reference, "reference");
        cells = cells == null ? List.of() : List.copyOf(cells);
        summary = summary == null ? List.of() : List.copyOf(summary);
        comparisons = comparisons == null ? List.of() : List.copyOf(comparisons);
    }
}
