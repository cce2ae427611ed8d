/**
 * The per-group summary of a sweep ({@code <out>/summary.parquet}) and its paper-style console
 * table. All of the aggregation lives in {@link org.ternsweep.driver.summary.SummaryBuilder}, so a
 * statistics module can replace or extend it in one place.
 */
package org.ternsweep.driver.summary;
