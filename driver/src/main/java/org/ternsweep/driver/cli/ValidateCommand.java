package org.ternsweep.driver.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.ternsweep.catalog.Catalog;
import org.ternsweep.core.CellSpec;
import org.ternsweep.driver.sweep.Grid;
import org.ternsweep.driver.sweep.ModelEntry;
import org.ternsweep.driver.sweep.Sweep;
import org.ternsweep.driver.sweep.SweepParser;
import org.ternsweep.results.render.ConsoleTable;
import org.ternsweep.results.store.CellParquetWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ternsweep validate <sweep.yaml>}: parse, validate and expand, print the plan; no Spark. */
@Command(name = "validate", description = "Check a sweep file and print its cells, without running anything.")
public final class ValidateCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Parameters(index = "0", paramLabel = "SWEEP.yaml", description = "the sweep file")
    Path sweepFile;

    @CommandLine.Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "override a key or axis; VALUE is YAML, e.g. --set seeds=[0,1,2]")
    List<String> overrides = new ArrayList<>();

    @Override
    public Integer call() {
        Sweep sweep = SweepParser.parse(sweepFile, overrides);
        List<CellSpec> cells = Grid.expand(sweep);
        PrintWriter out = spec.commandLine().getOut();
        out.printf("sweep %s is valid: %d cells (grid product %d; order models, methods, operators,"
                + " granularities, seeds)%n", sweep.name(), cells.size(), Grid.product(sweep));
        sweep.warnings().forEach(w -> out.println("note: " + w));
        for (ModelEntry m : sweep.models()) {
            if (m.imported()) {
                out.printf("model %s: %s (SHA-256 %s, %s, opset %d)%n", m.name(), m.onnx(), m.sha256().substring(0, 12),
                        m.producer().isEmpty() ? "no producer named" : m.producer(), m.opset());
            }
        }
        int i = 0;
        for (CellSpec c : cells) {
            out.printf("%5d  %s  %s  %s  %s  %s  seed %d%n", ++i, c.cellId().substring(0, 12), c.model(),
                    ConsoleTable.labelOf(Catalog.methods().get(c.method()), c.method(),
                            CellParquetWriter.json(c.methodOptions())),
                    ConsoleTable.labelOf(Catalog.operators().get(c.operator()), c.operator(),
                            CellParquetWriter.json(c.operatorOptions())),
                    c.granularity(), c.seed());
        }
        return Main.OK;
    }
}
