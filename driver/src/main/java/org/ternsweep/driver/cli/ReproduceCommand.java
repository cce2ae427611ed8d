package org.ternsweep.driver.cli;

import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code ternsweep reproduce <out-dir> <cell-id>}: recomputes one stored cell from its {@code spec_json} in this JVM
 * (its float model from the cache or trained again, its data, its seed; no Spark) and prints the stored and the
 * recomputed accuracy side by side. Exit 0 when the two accuracies have the same bits, 1 when they differ.
 */
@Command(name = "reproduce", description = "Recompute one stored cell (no Spark) and compare its accuracy with the"
        + " stored one, bit for bit: exit 0 when equal, 1 when not.")
public final class ReproduceCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    StoredCellRun cell;

    @Override
    public Integer call() throws IOException {
        return cell.run(spec.commandLine().getOut()).equal() ? Main.OK : Main.FAILED;
    }
}
