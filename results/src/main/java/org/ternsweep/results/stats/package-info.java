/**
 * Statistics of a sweep, in plain Java (no Spark): per-group summaries, paired comparisons of
 * operators by seed (t-test, exact Wilcoxon signed-rank, Holm adjustment) and seed advice (how many
 * seeds a paired test needs). The driver adapts Spark rows to
 * {@link org.ternsweep.results.model.CellRow} and writes what {@link org.ternsweep.results.stats.Statistics}
 * returns to Parquet and to the reports.
 */
package org.ternsweep.results.stats;
