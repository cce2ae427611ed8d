package org.ternsweep.driver.spark;

import org.ternsweep.core.CellResult;
import org.ternsweep.core.CellSpec;
import org.ternsweep.core.RunContext;

/** Test executor that throws for every mquant cell and behaves like {@link FakeExecutor} otherwise. */
public class ThrowingExecutor extends FakeExecutor {
    public static final String MESSAGE = "mquant exploded on purpose";

    @Override
    public CellResult run(CellSpec spec, RunContext context) {
        if (spec.operator().equals("mquant")) {
            throw new IllegalStateException(MESSAGE + " (seed " + spec.seed() + ")");
        }
        return super.run(spec, context);
    }
}
