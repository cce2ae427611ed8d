/**
 * The records every side of ternsweep exchanges: a cell's spec and result, per-layer diagnostics, epoch
 * statistics, the run context, and the seed streams. No ND4J and no Spark, so the driver, the executors
 * and the results code share them without pulling each other in.
 */
package org.ternsweep.core;
