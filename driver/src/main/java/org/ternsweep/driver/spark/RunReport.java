package org.ternsweep.driver.spark;

import java.util.List;
import org.ternsweep.results.model.ComparisonRow;
import org.ternsweep.results.model.SummaryRow;

/**
 * What a sweep run did: the plan (cells in the grid, already done, to run), how many tasks ran, the
 * FAILED cells of the grid (from the stored rows, so failures of earlier runs count until rerun),
 * the summary and the paired comparisons (as written to summary.parquet and comparisons.parquet).
 */
public record RunReport(int totalCells, int alreadyDone, int toRun, int executed, List<FailedCell> failed,
                        List<SummaryRow> summary, List<ComparisonRow> comparisons) {
    public RunReport {
        failed = List.copyOf(failed);
        summary = List.copyOf(summary);
        comparisons = List.copyOf(comparisons);
    }

    /** A FAILED cell: id, what it was, and its error. */
    public record FailedCell(String cellId, String operator, String method, long seed, String errorClass,
                             String error) {
        /** {@code 1a2b3c4d5e6f mquant/data-free seed 2: java.lang.IllegalStateException: boom}. */
        public String describe() {
            return cellId.substring(0, Math.min(12, cellId.length())) + " " + operator + "/" + method + " seed " + seed
                    + ": " + errorClass + ": " + error;
        }
    }
}
