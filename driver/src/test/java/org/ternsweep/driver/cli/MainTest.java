package org.ternsweep.driver.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ternsweep.core.BadInputException;
import org.ternsweep.core.NumericalFailureException;
import org.ternsweep.core.RunContext;
import org.ternsweep.data.DatasetException;
import org.ternsweep.driver.spark.FakeExecutor;
import org.ternsweep.driver.spark.ThrowingExecutor;
import org.ternsweep.engine.ConvBackends;
import picocli.CommandLine;

class MainTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int exec(String... args) {
        out.reset();
        err.reset();
        return Main.execute(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void validateTheQuickSweepShippedWithTheProject() {
        Path quick = Path.of("..", "sweeps", "quick.yaml");
        assertEquals(Main.OK, exec("validate", quick.toString()), err());
        assertTrue(out().contains("sweep quick is valid: 72 cells"), out());
        assertTrue(out().contains("data-free(bias_correction=true)"), out());
        assertEquals(Main.OK, exec("validate", quick.toString(), "--set", "seeds={from: 0, to: 4}"), err());
        assertTrue(out().contains("120 cells"), out());
        assertEquals(Main.OK, exec("validate", Path.of("..", "sweeps", "paper.yaml").toString()), err());
        assertTrue(out().contains("sweep paper is valid: 120 cells"), out());
    }

    @Test
    void badSweepExitsWithTwoAndNamesFileLineAndKey() throws IOException {
        Path f = dir.resolve("bad.yaml");
        Files.writeString(f, "name: b\nmodels: [cnn-small]\nseeds: [0]\noperators: [natve]\n"
                + "granularities: [per-tensor]\nmethods: [data-free]\n");
        assertEquals(Main.BAD_INPUT, exec("validate", f.toString()));
        assertTrue(err().contains(f + ", line 4, key 'operators[0]'"), err());
        assertTrue(err().contains("native, tquant, mquant"), err());
        assertEquals(Main.BAD_INPUT, exec("run", f.toString(), "--out", dir.resolve("o").toString()));
        assertTrue(Files.notExists(dir.resolve("o")), "nothing ran");
    }

    @Test
    void anUnknownConvolutionBackendIsRefusedBeforeAnythingRuns() {
        String before = System.getProperty(RunCommand.CONV_PROPERTY);
        System.setProperty(RunCommand.CONV_PROPERTY, "fast");
        try {
            assertEquals(Main.BAD_INPUT, exec("run", Path.of("..", "sweeps", "quick.yaml").toString(), "--out",
                    dir.resolve("o").toString()));
            assertTrue(err().contains("ternsweep.conv=fast") && err().contains("allowed: dnnl, gemm"), err());
            assertTrue(Files.notExists(dir.resolve("o")), "nothing ran");
            assertEquals(ConvBackends.DEFAULT, RunContext.DEFAULT_CONV_BACKEND, "core's default is the engine's");
        } finally {
            if (before == null) {
                System.clearProperty(RunCommand.CONV_PROPERTY);
            } else {
                System.setProperty(RunCommand.CONV_PROPERTY, before);
            }
        }
    }

    @Test
    void anEmptyKeyPathInSetIsBadInputWithoutAStackTrace() {
        for (String o : List.of("..=1", ".=1")) {
            assertEquals(Main.BAD_INPUT, exec("validate", Path.of("..", "sweeps", "quick.yaml").toString(), "--set",
                    o), o);
            assertTrue(err().contains("--set " + o + ", key '" + o.substring(0, o.indexOf('=')) + "'")
                    && err().contains("is not a key path"), err());
            assertEquals(1, err().strip().lines().count(), "one paragraph, no stack trace: " + err());
        }
    }

    @Test
    void theDefaultOutputDirectoryStaysStrictlyInsideRuns() {
        assertEquals(Path.of("runs", "quick").toString(), RunCommand.defaultOut("quick"));
        assertEquals(Path.of("runs", "a..b").toString(), RunCommand.defaultOut("a..b"));
        for (String name : List.of("..", ".", "../x", "x/../..", "x/y")) {
            BadInputException e = assertThrows(BadInputException.class, () -> RunCommand.defaultOut(name), name);
            assertTrue(e.getMessage().contains("outside runs/"), e.getMessage());
        }
    }

    @Test
    void aSweepNamedDotDotIsRefusedAndWritesNothing() throws IOException {
        Path f = dir.resolve("dots.yaml");
        Files.writeString(f, "name: '..'\nmodels: [cnn-small]\nseeds: [0]\noperators: [native]\n"
                + "granularities: [per-tensor]\nmethods: [data-free]\n");
        assertEquals(Main.BAD_INPUT, exec("run", f.toString(), "--cache", dir.resolve("cache").toString()));
        assertTrue(err().contains("key 'name'") && err().contains("other than '.' and '..'"), err());
        assertTrue(Files.notExists(Path.of("sweep.yaml")) && Files.notExists(Path.of("cells")), "nothing written");
    }

    @Test
    void anOutputPathHadoopCannotUseIsRefusedBeforeAnythingIsCreated() {
        Path bad = dir.resolve("x").resolve("a:b");
        assertEquals(Main.BAD_INPUT, exec("run", Path.of("..", "sweeps", "quick.yaml").toString(), "--out",
                bad.toString(), "--cache", dir.resolve("cache").toString()));
        assertTrue(err().contains("--out " + bad) && err().contains("contains ':'") && err().contains("Allowed:"),
                err());
        assertEquals(1, err().strip().lines().count(), "one paragraph, no stack trace: " + err());
        assertTrue(Files.notExists(dir.resolve("x")), "nothing created");
        assertEquals(Main.BAD_INPUT, exec("run", Path.of("..", "sweeps", "quick.yaml").toString(), "--out",
                "hdfs://nn:8020/runs/a b%"));
        assertTrue(err().contains("is not a valid URI"), err());
    }

    @Test
    void usageErrorsExitWithTwo() {
        assertEquals(Main.BAD_INPUT, exec("run"));
        assertEquals(Main.BAD_INPUT, exec("frobnicate"));
        assertEquals(Main.BAD_INPUT, exec("validate", dir.resolve("missing.yaml").toString()));
        assertTrue(err().contains("cannot read the sweep file"), err());
    }

    @Test
    void listPrintsTheCatalog() {
        assertEquals(Main.OK, exec("list"));
        for (String s : new String[]{"native", "mquant", "level (choice, default mean, one of mean, median, double)",
                "adaround", "iterations (int, default 2000", "cnn-small", "fashion-mnist", "recipe", "per-channel"}) {
            assertTrue(out().contains(s), s + " in\n" + out());
        }
    }

    @Test
    void versionPrintsTheProjectVersion() {
        assertEquals(Main.OK, exec("version"));
        assertTrue(out().matches("(?s)ternsweep \\d+\\.\\d+\\.\\d+.*Spark 4\\..*Java .*"), out());
    }

    @Test
    void runExitsWithOneWhenCellsFailThenRerunsThemAndRefusesALockedDirectory() throws IOException {
        Path f = dir.resolve("s.yaml");
        Files.writeString(f, "name: s\nmodels: [cnn-small]\nseeds: [0, 1]\noperators: [native, mquant]\n"
                + "granularities: [per-tensor]\nmethods: [data-free]\n");
        String o = dir.resolve("out").toString();
        String[] common = {"run", f.toString(), "--out", o, "--master", "local[2]", "--no-ui", "--cache",
                dir.resolve("cache").toString(), "--offline"};
        assertEquals(Main.FAILED, exec(concat(common, "--executor-class", ThrowingExecutor.class.getName())), err());
        assertTrue(out().contains("already done 0, to run 4"), out());
        assertTrue(out().contains("2 cell(s) FAILED"), out());
        assertTrue(out().contains("mquant/data-free seed 0: java.lang.IllegalStateException: " + ThrowingExecutor.MESSAGE),
                out());
        assertTrue(out().contains("cells 4/4, running 0, failed 2"), out());

        assertEquals(Main.OK, exec(concat(common, "--executor-class", FakeExecutor.class.getName())),
                err());
        assertTrue(out().contains("already done 2, to run 2 (2 FAILED before, rerun)"), out());
        assertTrue(out().contains("cnn-small / data-free / per-tensor"), out());

        Files.writeString(dir.resolve("out/_lock"), "host=elsewhere\npid=1\n");
        assertEquals(Main.BAD_INPUT, exec(concat(common, "--executor-class", FakeExecutor.class.getName())));
        assertTrue(err().contains("in use by another ternsweep driver (host=elsewhere pid=1"), err());
    }

    @Test
    void runRefusesCudaWithExitTwoAndNoCells() throws IOException {
        Path f = dir.resolve("s.yaml");
        Files.writeString(f, "name: s\nmodels: [cnn-small]\nseeds: [0]\noperators: [native]\n"
                + "granularities: [per-tensor]\nmethods: [data-free]\n");
        Path o = dir.resolve("out");
        assertEquals(Main.BAD_INPUT, exec("run", f.toString(), "--set", "engine=cuda", "--out", o.toString(),
                "--master", "local[1]", "--no-ui", "--cache", dir.resolve("cache").toString(), "--offline",
                "--executor-class", FakeExecutor.class.getName()));
        assertTrue(err().startsWith("error: engine 'cuda' cannot run: "), err());
        assertTrue(err().contains("libcuda.so.1") || err().contains("no CUDA engine backend"), err());
        assertFalse(Files.exists(o), "nothing written");
        assertEquals(Main.BAD_INPUT, exec("run", f.toString(), "--gpu-per-cell", "0.75", "--out", o.toString(),
                "--master", "local[1]", "--no-ui"));
        assertTrue(err().contains("--gpu-per-cell 0.75 is not allowed"), err());
    }

    /** A command that throws what it is given, to see how the CLI reports each kind of failure. */
    @CommandLine.Command(name = "throw")
    static final class Throwing implements Callable<Integer> {
        private final RuntimeException failure;

        Throwing(RuntimeException failure) {
            this.failure = failure;
        }

        @Override
        public Integer call() {
            throw failure;
        }
    }

    private int execThrowing(RuntimeException failure) {
        out.reset();
        err.reset();
        CommandLine cl = Main.commandLine(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        cl.addSubcommand("throw", new Throwing(failure));
        // a subcommand added after the streams were set writes to System.err unless given them again
        cl.setOut(cl.getOut());
        cl.setErr(cl.getErr());
        return cl.execute("throw");
    }

    @Test
    void exitCodesComeFromTheExceptionHierarchyAndABugIsNeverBadInput() {
        assertEquals(Main.BAD_INPUT, execThrowing(new BadInputException("fix the sweep")));
        assertEquals("error: fix the sweep", err().strip(), "one message, no stack trace");
        assertEquals(Main.MISSING_DATA, execThrowing(new DatasetException("fashion-mnist: not found")));
        assertEquals("error: fashion-mnist: not found", err().strip());
        assertEquals(Main.FAILED, execThrowing(new NumericalFailureException("loss became NaN; lower the lr")));
        assertEquals("error: loss became NaN; lower the lr", err().strip());
        for (RuntimeException bug : List.of(new IllegalArgumentException("index -1"), new IllegalStateException("x"),
                new NullPointerException())) {
            assertEquals(Main.INTERNAL_ERROR, execThrowing(bug), bug.toString());
            assertTrue(err().startsWith("error: internal error, please report it with the stack trace below: "
                    + bug), err());
            assertTrue(err().contains("\tat org.ternsweep.driver.cli.MainTest."), "the stack trace:\n" + err());
        }
    }

    /** An expected failure with a cause: one paragraph on the console, the stack trace in the file it names. */
    @Test
    void theStackTraceOfAnExpectedFailureGoesToTheFileTheMessageNames() throws IOException {
        BadInputException e = new BadInputException("cell file x is unreadable",
                new IOException("Checksum error: file:/x at 0"));
        assertEquals(Main.BAD_INPUT, execThrowing(e));
        String line = err().strip();
        assertEquals(1, line.lines().count(), line);
        assertTrue(line.startsWith("error: cell file x is unreadable (stack trace in "), line);
        Path trace = Path.of(line.substring(line.indexOf("(stack trace in ") + 16, line.length() - 1));
        String text = Files.readString(trace);
        assertTrue(text.contains("Checksum error") && text.contains("\tat org.ternsweep.driver.cli.MainTest."), text);
        Files.delete(trace);
    }

    private static String[] concat(String[] a, String... b) {
        String[] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
