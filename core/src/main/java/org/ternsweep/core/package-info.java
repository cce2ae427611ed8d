/**
 * The records every side of ternsweep exchanges: a cell's spec and result, per-layer diagnostics, epoch
 * statistics, the run context, the seed streams and their purposes, and the exception hierarchy
 * ({@link org.ternsweep.core.TernsweepException}). No ND4J and no Spark, so the driver, the executors and the
 * results code share them without pulling each other in.
 */
package org.ternsweep.core;
