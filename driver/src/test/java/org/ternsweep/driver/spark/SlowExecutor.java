package org.ternsweep.driver.spark;

import org.ternsweep.core.CellResult;
import org.ternsweep.core.CellSpec;
import org.ternsweep.core.RunContext;

/**
 * Test executor: {@link FakeExecutor}'s results after a fixed pause per cell, so a test can kill a
 * Worker or the driver while cells are still running (it waits until some cell files exist).
 */
public class SlowExecutor extends FakeExecutor {
    /** The pause per cell. */
    public static final long MILLIS = 700;

    @Override
    public CellResult run(CellSpec spec, RunContext context) {
        try {
            Thread.sleep(MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("cell " + spec.cellId() + " interrupted while pausing", e);
        }
        return super.run(spec, context);
    }
}
