/**
 * Statistics and reports of a sweep's output directory, built from its Parquet files alone: read
 * {@code cells/*.parquet} without Spark ({@link org.ternsweep.driver.report.CellReader}), summarise and
 * compare with {@link org.ternsweep.driver.stats.Statistics}, write {@code summary.parquet} and
 * {@code comparisons.parquet} ({@link org.ternsweep.driver.report.FlatParquet}) and every rendered report
 * ({@link org.ternsweep.report.ReportWriter}). {@code ternsweep run} ends with it and {@code ternsweep
 * report} runs it alone, on the machine that ran the sweep or on a copy of the directory.
 */
package org.ternsweep.driver.report;
