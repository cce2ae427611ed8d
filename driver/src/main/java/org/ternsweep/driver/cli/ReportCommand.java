package org.ternsweep.driver.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.ternsweep.core.BadInputException;
import org.ternsweep.driver.sweep.StoredSweep;
import org.ternsweep.results.SweepReport;
import org.ternsweep.results.model.CellRow;
import org.ternsweep.results.render.ConsoleTable;
import org.ternsweep.results.store.CellReader;
import org.ternsweep.results.store.OutputLayout;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/**
 * {@code ternsweep report <out-dir> [--reference OP]}: rebuild summary.parquet, comparisons.parquet and
 * every report (report.md, tables.tex, CSVs, report.ipynb, plots/) from the output directory's files
 * alone, without Spark and without recomputing a cell; it works on a copy of the directory on any
 * machine. {@code ternsweep run} ends with the same code ({@link SweepReport}).
 */
@Command(name = "report", description = "Rebuild the statistics and reports of an output directory from its Parquet"
        + " files (no cell is recomputed; works on a copied directory).")
public final class ReportCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Parameters(index = "0", paramLabel = "OUT-DIR", description = "the directory `ternsweep run` wrote")
    Path out;

    @CommandLine.Option(names = "--reference", paramLabel = "OPERATOR",
            description = "compare against this operator (\"name\", or \"name options-json\" where the sweep has"
                    + " several settings of it); default: the reference key of OUT-DIR/sweep.yaml")
    String reference;

    @Override
    public Integer call() throws IOException {
        if (!Files.isDirectory(out)) {
            throw new BadInputException("output directory " + out + " does not exist; give the directory that"
                    + " `ternsweep run` wrote (it holds sweep.yaml and cells/)");
        }
        if (!Files.isRegularFile(out.resolve("sweep.yaml"))) {
            throw new BadInputException(out.resolve("sweep.yaml") + " is missing; copy the whole output"
                    + " directory of `ternsweep run`, sweep.yaml included");
        }
        // the plain path, not a file: URI of it: Hadoop would read the URI's percent-encoding as part of the name
        OutputLayout layout = OutputLayout.forUserPath(out.toAbsolutePath().toString(), "OUT-DIR");
        SweepReport.Result result = SweepReport.build(layout, new Configuration(),
                StoredSweep.read(layout, new Configuration()), reference);
        PrintWriter console = spec.commandLine().getOut();
        for (CellReader.Unreadable u : result.skipped()) {
            console.println("warning: skipped the unreadable cell file " + u.file() + " (" + u.reason() + "); its"
                    + " cells are missing from this report (`ternsweep run` moves it to cells/_corrupt/ and recomputes"
                    + " them)");
        }
        console.print(ConsoleTable.render(result.data()));
        List<CellRow> failed = result.failed();
        if (!failed.isEmpty()) {
            console.println(failed.size() + " cell(s) FAILED; they are counted, not averaged (rerun them with"
                    + " `ternsweep run`)");
        }
        console.println("wrote summary.parquet, comparisons.parquet and " + result.rendered().size()
                + " report files to " + out);
        console.flush();
        return Main.OK;
    }
}
