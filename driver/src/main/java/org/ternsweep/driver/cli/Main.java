package org.ternsweep.driver.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import org.ternsweep.driver.store.OutputNotWritableException;
import org.ternsweep.driver.store.RunLock;
import org.ternsweep.driver.sweep.SweepException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code ternsweep} command: {@code run}, {@code submit}, {@code report}, {@code compact}, {@code validate}, {@code list}, {@code version}.
 * Errors of the user's making (a bad sweep, a locked or unwritable output directory) print one actionable message, no
 * stack trace, and exit with 2.
 */
@Command(name = "ternsweep", mixinStandardHelpOptions = true, versionProvider = VersionCommand.Provider.class,
        description = "Ternary-quantization sweeps: expand a sweep file into cells, run them on Spark, summarise.",
        subcommands = {RunCommand.class, SubmitCommand.class, ReportCommand.class, CompactCommand.class, ValidateCommand.class, ListCommand.class, VersionCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    /** Exit code: everything ran and no cell FAILED. */
    public static final int OK = 0;
    /** Exit code: some cells FAILED (listed), or the run failed. */
    public static final int FAILED = 1;
    /** Exit code: bad input — usage, sweep file, locked output directory, executor class. */
    public static final int BAD_INPUT = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command: run, submit, report, compact, validate, list or version");
    }

    public static void main(String[] args) {
        System.exit(execute(args, System.out, System.err));
    }

    /** Runs the CLI with the given streams and returns the exit code (tests call this). */
    public static int execute(String[] args, PrintStream out, PrintStream err) {
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
        cl.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
        cl.setExitCodeExceptionMapper(e -> e instanceof CommandLine.ParameterException ? BAD_INPUT : FAILED);
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            PrintWriter w = commandLine.getErr();
            if (e instanceof SweepException || e instanceof RunLock.LockedException
                    || e instanceof OutputNotWritableException || e instanceof IllegalArgumentException) {
                w.println("error: " + e.getMessage());
                return BAD_INPUT;
            }
            w.println("error: the run failed: " + e);
            e.printStackTrace(w);
            return FAILED;
        });
        return cl.execute(args);
    }
}
