/**
 * The paper-style console table a sweep prints when it ends. The numbers come from
 * {@link org.ternsweep.driver.stats.Statistics} (the one summary computation, also behind
 * summary.parquet and the reports) and the layout from {@link org.ternsweep.report.ResultTable}, the same
 * table model that report.md and tables.tex render, so the console can never disagree with them.
 */
package org.ternsweep.driver.summary;
