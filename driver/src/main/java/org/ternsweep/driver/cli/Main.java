package org.ternsweep.driver.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.ternsweep.core.BadInputException;
import org.ternsweep.core.MissingDataException;
import org.ternsweep.core.NumericalFailureException;
import org.ternsweep.core.TernsweepException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code ternsweep} command: {@code run}, {@code submit}, {@code report}, {@code compact}, {@code reproduce},
 * {@code export}, {@code validate}, {@code list}, {@code version}.
 * The exit code comes from the kind of failure ({@link TernsweepException}'s subclasses): input the user can fix prints
 * one actionable message without a stack trace and exits with 2; missing data likewise with 3 (when such a failure
 * has a cause, its stack trace goes to a file under {@code <java.io.tmpdir>/ternsweep-errors/}, named at the end of
 * the message); anything else is an internal error, printed with its stack trace, exit 4.
 */
@Command(name = "ternsweep", mixinStandardHelpOptions = true, versionProvider = VersionCommand.Provider.class,
        description = "Ternary-quantization sweeps: expand a sweep file into cells, run them on Spark, summarise.",
        subcommands = {RunCommand.class, SubmitCommand.class, ReportCommand.class, CompactCommand.class,
                ReproduceCommand.class, ExportCommand.class, ValidateCommand.class, ListCommand.class,
                VersionCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    /** Exit code: everything ran and no cell FAILED. */
    public static final int OK = 0;
    /** Exit code: some cells FAILED (listed), or a numerical failure stopped the command. */
    public static final int FAILED = 1;
    /** Exit code: bad input — usage, sweep file, option or flag value, locked or unwritable output directory. */
    public static final int BAD_INPUT = 2;
    /** Exit code: data the command needs is missing or corrupt. */
    public static final int MISSING_DATA = 3;
    /** Exit code: an internal error (a bug, or a failure nothing here anticipated); printed with its stack trace. */
    public static final int INTERNAL_ERROR = 4;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command: run, submit, report, compact,"
                + " reproduce, export, validate, list or version");
    }

    public static void main(String[] args) {
        System.exit(execute(args, System.out, System.err));
    }

    /** Runs the CLI with the given streams and returns the exit code (tests call this). */
    public static int execute(String[] args, PrintStream out, PrintStream err) {
        return commandLine(out, err).execute(args);
    }

    /** The CLI with its streams and its mapping from failures to messages and exit codes. */
    static CommandLine commandLine(PrintStream out, PrintStream err) {
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
        cl.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
        cl.setExitCodeExceptionMapper(e -> e instanceof CommandLine.ParameterException ? BAD_INPUT : exitCode(e));
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            PrintWriter w = commandLine.getErr();
            int code = exitCode(e);
            if (code == INTERNAL_ERROR) {
                w.println("error: internal error, please report it with the stack trace below: " + e);
                e.printStackTrace(w);
            } else {
                String trace = e.getCause() == null ? null : traceFile(e);
                w.println("error: " + e.getMessage() + (trace == null ? "" : " (stack trace in " + trace + ")"));
            }
            return code;
        });
        return cl;
    }

    /**
     * Writes the stack trace of an expected failure that has a cause (a corrupt file, a disk error under the
     * message) to {@code <java.io.tmpdir>/ternsweep-errors/<time>-<pid>.log}, so that the console keeps the
     * one-paragraph message and the details are still there to report.
     *
     * @return the file, or null when it cannot be written (the message alone is still printed)
     */
    static String traceFile(Throwable e) {
        try {
            Path dir = Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir"), "ternsweep-errors"));
            String stamp = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC)
                    .format(Instant.now());
            Path file = dir.resolve(stamp + "-" + ProcessHandle.current().pid() + ".log");
            StringWriter text = new StringWriter();
            e.printStackTrace(new PrintWriter(text));
            Files.writeString(file, text.toString(), StandardCharsets.UTF_8);
            return file.toString();
        } catch (IOException | RuntimeException unwritable) {
            return null;
        }
    }

    /** The exit code of a command that threw {@code e}: from its place in the {@link TernsweepException} hierarchy. */
    static int exitCode(Throwable e) {
        if (e instanceof BadInputException) {
            return BAD_INPUT;
        }
        if (e instanceof MissingDataException) {
            return MISSING_DATA;
        }
        if (e instanceof NumericalFailureException) {
            return FAILED;
        }
        return INTERNAL_ERROR;
    }
}
