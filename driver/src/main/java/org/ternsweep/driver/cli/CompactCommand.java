package org.ternsweep.driver.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.ternsweep.core.BadInputException;
import org.ternsweep.driver.store.RunLock;
import org.ternsweep.results.store.CellCompactor;
import org.ternsweep.results.store.OutputLayout;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/**
 * {@code ternsweep compact <out>}: merges the per-cell Parquet files of a finished run into a few
 * {@code cells/compacted-<n>.parquet} files ({@link CellCompactor}), for object stores where thousands of
 * small files are slow to list and read. Resume stays exact: a later {@code run} skips the compacted OK
 * cells, reruns FAILED ones, and the newest row of a cell wins. Takes the output directory's lock, so it
 * never runs beside a driver.
 */
@Command(name = "compact", description = "Merge the per-cell Parquet files of an output directory into a few"
        + " large files; resume, report and Spark still see each cell once.")
public final class CompactCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Parameters(index = "0", paramLabel = "OUT-DIR",
            description = "the directory `ternsweep run` wrote (a local path or a Hadoop URI)")
    String out;

    @CommandLine.Option(names = "--rows-per-file", paramLabel = "N", defaultValue = "" + CellCompactor.DEFAULT_ROWS_PER_FILE,
            description = "cell rows per compacted file (default ${DEFAULT-VALUE})")
    int rowsPerFile;

    @CommandLine.Option(names = "--force-unlock",
            description = "take over the output directory's _lock when the driver holding it is dead (refused while it"
                    + " runs on this host)")
    boolean forceUnlock;

    @Override
    public Integer call() throws IOException {
        if (rowsPerFile < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--rows-per-file must be >= 1, got " + rowsPerFile);
        }
        boolean uri = out.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*");
        if (!uri && !Files.isDirectory(Path.of(out).resolve("cells"))) {
            throw new BadInputException(Path.of(out).resolve("cells") + " does not exist; give the output"
                    + " directory that `ternsweep run` wrote (it holds sweep.yaml and cells/)");
        }
        // a local directory as a plain path, not a file: URI, whose percent-encoding Hadoop would read as the name
        OutputLayout layout = OutputLayout.forUserPath(uri ? out : Path.of(out).toAbsolutePath().toString(),
                "OUT-DIR");
        Configuration conf = new Configuration();
        CellCompactor.Result r;
        try (RunLock lock = RunLock.acquire(layout, conf, forceUnlock)) {
            r = CellCompactor.compact(layout, conf, rowsPerFile);
        }
        PrintWriter console = spec.commandLine().getOut();
        if (r.written().isEmpty()) {
            console.printf("%s: nothing to compact (%d cells in %d files)%n", out, r.cells(), r.filesRead());
        } else {
            console.printf("%s: compacted %d files (%d rows) into %d file(s) holding %d cells: %s%n", out,
                    r.filesRead(), r.rowsRead(), r.written().size(), r.cells(),
                    String.join(", ", r.written().stream().map(org.apache.hadoop.fs.Path::getName).toList()));
        }
        console.flush();
        return Main.OK;
    }
}
