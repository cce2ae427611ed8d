/**
 * Results of a sweep without Spark: {@link org.ternsweep.results.SweepReport} builds summary.parquet,
 * comparisons.parquet and every report of an output directory from its cell files alone.
 */
package org.ternsweep.results;
