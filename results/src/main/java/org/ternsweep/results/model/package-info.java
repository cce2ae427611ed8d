/**
 * Plain records exchanged between the driver's statistics and the report renderer: one row per cell
 * ({@link org.ternsweep.results.model.CellRow}), per group ({@link org.ternsweep.results.model.SummaryRow})
 * and per paired comparison ({@link org.ternsweep.results.model.ComparisonRow}), bundled with the
 * sweep's provenance in {@link org.ternsweep.results.model.ReportData}.
 *
 * <p>They live here, not in the driver, so that rendering needs neither Spark nor ND4J: the driver
 * adapts Spark rows to these records and hands them over.
 */
package org.ternsweep.results.model;
