package org.ternsweep.driver.spark;

import org.ternsweep.cell.CellResult;
import org.ternsweep.cell.CellSpec;
import org.ternsweep.cell.RunContext;

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
