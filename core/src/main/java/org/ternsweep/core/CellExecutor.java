package org.ternsweep.core;

/**
 * Runs one cell. Spark tasks instantiate the implementation by class name with its public no-arg
 * constructor, once per executor JVM, so implementations keep per-JVM resources (dataset, float
 * models) and must be thread-safe. An implementation never throws for a cell's own failure: it
 * returns {@link CellResult#failed}.
 */
public interface CellExecutor {
    CellResult run(CellSpec spec, RunContext context);
}
