/**
 * The Spark side of a sweep: the session, one task per cell ({@link org.ternsweep.driver.spark.CellTask}),
 * the per-JVM executor cache, the progress listener and the orchestration of a run
 * ({@link org.ternsweep.driver.spark.SweepRunner}: lock, plan, resume, fan-out, summary).
 */
package org.ternsweep.driver.spark;
