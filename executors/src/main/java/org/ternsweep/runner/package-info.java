/**
 * The runner of one cell without Spark: {@link org.ternsweep.runner.CellRunner} turns a
 * {@link org.ternsweep.core.CellSpec} into a {@link org.ternsweep.core.CellResult} (dataset, float model
 * through the cache, method, evaluation, diagnostics); Spark tasks call it by class name.
 */
package org.ternsweep.runner;
