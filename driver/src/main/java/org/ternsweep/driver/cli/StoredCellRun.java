package org.ternsweep.driver.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.ternsweep.core.BadInputException;
import org.ternsweep.core.CellResult;
import org.ternsweep.core.CellSpec;
import org.ternsweep.core.MissingDataException;
import org.ternsweep.core.NumericalFailureException;
import org.ternsweep.core.RunContext;
import org.ternsweep.data.CacheDirs;
import org.ternsweep.data.ResolverConfig;
import org.ternsweep.driver.sweep.InputFiles;
import org.ternsweep.engine.ConvBackends;
import org.ternsweep.results.model.CellRow;
import org.ternsweep.results.store.CellReader;
import org.ternsweep.results.store.OutputLayout;
import org.ternsweep.results.store.StoredCell;
import org.ternsweep.runner.CellRunner;
import picocli.CommandLine;

/**
 * What {@code ternsweep reproduce} and {@code export} share (a picocli mixin: the output directory, the cell and
 * the run's environment): find the stored cell by its id or a unique prefix of it, rebuild its {@link CellSpec}
 * from {@code spec_json} and a {@link RunContext} like the stored run's, recompute it in this JVM with
 * {@link CellRunner} (no Spark) and print the stored and recomputed figures side by side.
 *
 * <p>The thread count and the convolution backend change the rounding of every product, so they default to the
 * ones the stored cell's provenance names ({@code threads}, {@code conv_backend}); where the recomputation used
 * others, the output says so beside the comparison.
 */
final class StoredCellRun {
    /** The shortest cell-id prefix accepted: 8 hex digits make an accidental match among a sweep's cells unlikely. */
    static final int MIN_PREFIX = 8;
    /** One line of the comparison: a label, the stored value, the recomputed value. */
    private static final String ROW = "%-16s %-26s %s%n";

    @CommandLine.Parameters(index = "0", paramLabel = "OUT-DIR", description = "the directory `ternsweep run` wrote")
    Path out;

    @CommandLine.Parameters(index = "1", paramLabel = "CELL-ID",
            description = "the cell's id (cell_id column, the name of its file under cells/) or a unique prefix of"
                    + " at least " + MIN_PREFIX + " hex digits")
    String cellId;

    @CommandLine.Option(names = "--cache", paramLabel = "DIR",
            description = "model/dataset cache (default $TERNSWEEP_CACHE or ~/.cache/ternsweep); the cell's float"
                    + " model is read from it, or trained again (deterministically) when it is not there")
    String cache;

    @CommandLine.Option(names = "--data", paramLabel = "DIR",
            description = "dataset directory (default $TERNSWEEP_DATA, then the usual search path)")
    String data;

    @CommandLine.Option(names = "--threads", paramLabel = "N",
            description = "compute threads (default: the stored cell's, from its provenance; others round"
                    + " differently)")
    Integer threads;

    @CommandLine.Option(names = "--conv-backend", paramLabel = "NAME",
            description = "convolution backend, dnnl or gemm (default: the stored cell's conv_backend; the two round"
                    + " differently)")
    String convBackend;

    @CommandLine.Option(names = "--input", paramLabel = "FILE",
            description = "an imported network or dataset file that moved since the run, repeatable; used where its"
                    + " SHA-256 is one the cell names")
    List<String> inputs = new ArrayList<>();

    @CommandLine.Option(names = "--offline", description = "never download a missing dataset")
    boolean offline;

    /**
     * A stored cell and its recomputation.
     *
     * @param stored     the newest stored row of the cell
     * @param spec       its spec, from {@code spec_json}
     * @param recomputed what recomputing it gave, with its quantized network
     */
    record Outcome(StoredCell stored, CellSpec spec, CellRunner.Reproduction recomputed) {
        /** Whether the recomputed accuracy has the same bits as the stored one. */
        boolean equal() {
            return Double.doubleToRawLongBits(stored.row().accuracy())
                    == Double.doubleToRawLongBits(recomputed.result().accuracy());
        }
    }

    /**
     * Finds, recomputes and compares the cell, printing the comparison to {@code console}.
     *
     * @throws BadInputException    when OUT-DIR is no output directory, or no stored cell (or more than one) has
     *                              the id, or the stored cell FAILED
     * @throws MissingDataException when an input file the cell needs is gone or changed, or its data are missing
     */
    Outcome run(PrintWriter console) throws IOException {
        if (!Files.isDirectory(out.resolve("cells"))) {
            throw new BadInputException((Files.isDirectory(out) ? out.resolve("cells") + " does not exist"
                    : "output directory " + out + " does not exist") + "; give the directory that `ternsweep run`"
                    + " wrote (it holds sweep.yaml and cells/)");
        }
        // the plain path, not a file: URI of it: Hadoop would read the URI's percent-encoding as part of the name
        OutputLayout layout = OutputLayout.forUserPath(out.toAbsolutePath().toString(), "OUT-DIR");
        Configuration conf = new Configuration();
        List<StoredCell> cells = CellReader.read(layout, conf);
        StoredCell stored = find(cells);
        String id = stored.row().cellId();
        if (stored.row().status() != CellRow.Status.OK) {
            throw new BadInputException("cell " + id + " FAILED in " + out + " (" + stored.row().errorClass() + ": "
                    + stored.row().error() + "); there is no stored accuracy to reproduce: rerun it with `ternsweep"
                    + " run`");
        }
        String json = CellReader.specJsons(layout, conf).get(id);
        CellSpec spec = CellSpec.fromJson(json);
        if (!spec.cellId().equals(id)) {
            throw new MissingDataException("the spec_json stored for cell " + id + " in " + out + " hashes to "
                    + spec.cellId() + "; the row was edited or written by another version, so it cannot be recomputed"
                    + " as stored");
        }
        Map<String, String> prov = stored.provenance();
        int t = threads != null ? threads : parseThreads(prov.get("threads"));
        if (t < 1) {
            throw new BadInputException("--threads must be >= 1, got " + t);
        }
        String backend = backend(prov.get("conv_backend"));
        String cacheDir = CacheDirs.resolve(cache).toString();
        RunContext context = new RunContext(ResolverConfig.dataPath(data, System.getenv()), cacheDir, t, !offline,
                backend, InputFiles.forExecutors(StoredInputFiles.forCell(layout, conf, spec, inputs), cacheDir));
        console.println("recomputing cell " + id + " (" + describe(stored.row()) + ") on " + t + " thread(s), conv"
                + " backend " + backend + " ...");
        console.flush();
        CellRunner.Reproduction r = new CellRunner().reproduce(spec, context);
        CellResult result = r.result();
        if (result.status() != CellResult.Status.OK) {
            throw recomputeFailed(id, result);
        }
        Outcome o = new Outcome(stored, spec, r);
        print(console, o, t);
        return o;
    }

    private StoredCell find(List<StoredCell> cells) {
        String p = cellId.trim().toLowerCase(Locale.ROOT);
        if (p.length() < MIN_PREFIX || !p.matches("[0-9a-f]+")) {
            throw new BadInputException("cell id '" + cellId + "' must be a cell's id or a prefix of it of at least "
                    + MIN_PREFIX + " hex digits (0-9, a-f), as in the cell_id column or the file names under "
                    + out.resolve("cells"));
        }
        List<StoredCell> matches = cells.stream().filter(c -> c.row().cellId().startsWith(p)).toList();
        if (matches.isEmpty()) {
            throw new BadInputException("no cell of " + out + " has an id starting with " + p + " (it holds "
                    + cells.size() + " cells); give a cell id from its cell_id column or from the file names"
                    + " under cells/");
        }
        if (matches.size() > 1) {
            StringBuilder b = new StringBuilder("cell id prefix " + p + " matches " + matches.size() + " cells of "
                    + out + "; give more digits:");
            for (StoredCell c : matches) {
                b.append("\n  ").append(c.row().cellId()).append("  ").append(describe(c.row()));
            }
            throw new BadInputException(b.toString());
        }
        return matches.get(0);
    }

    private static int parseThreads(String stored) {
        try {
            return stored == null ? 1 : Integer.parseInt(stored.trim());
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    private String backend(String stored) {
        String given = convBackend != null ? convBackend : stored != null ? stored : ConvBackends.DEFAULT;
        try {
            return ConvBackends.check(given);
        } catch (IllegalArgumentException e) {
            throw new BadInputException((convBackend != null ? "--conv-backend: " : "the stored cell's conv_backend: ")
                    + e.getMessage());
        }
    }

    /** A recomputation's failure as an exception of its kind (missing data: exit 3, bad input: 2, numerical: 1). */
    private static RuntimeException recomputeFailed(String id, CellResult result) {
        String msg = "recomputing cell " + id + " failed: " + result.errorClass() + ": " + result.errorMessage();
        Class<?> kind;
        try {
            kind = Class.forName(result.errorClass(), false, StoredCellRun.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            kind = Object.class;
        }
        if (MissingDataException.class.isAssignableFrom(kind)) {
            return new MissingDataException(msg);
        }
        if (BadInputException.class.isAssignableFrom(kind)) {
            return new BadInputException(msg);
        }
        if (NumericalFailureException.class.isAssignableFrom(kind)) {
            return new NumericalFailureException(msg);
        }
        return new IllegalStateException(msg);
    }

    static String describe(CellRow r) {
        return r.model() + " on " + r.dataset() + ", " + r.operator() + (r.operatorOptions().equals("{}") ? ""
                : " " + r.operatorOptions()) + " " + r.granularity() + ", " + r.method() + ", first_last "
                + r.firstLast() + ", seed " + r.seed();
    }

    private static void print(PrintWriter console, Outcome o, int threadsUsed) {
        CellRow s = o.stored().row();
        CellResult r = o.recomputed().result();
        console.printf(ROW, "", "stored", "recomputed");
        console.printf(ROW, "accuracy", s.accuracy(), r.accuracy());
        console.printf(ROW, "  (bits)", bits(s.accuracy()), bits(r.accuracy()));
        console.printf(ROW, "cross-entropy", s.crossEntropy(), r.crossEntropy());
        console.printf(ROW, "float accuracy", s.floatAccuracy(), r.floatAccuracy());
        Map<String, String> stored = o.stored().provenance();
        Map<String, String> now = new LinkedHashMap<>(r.provenance());
        now.put("threads", Integer.toString(threadsUsed));
        now.put("engine", "cpu");
        List<String> differ = new ArrayList<>();
        for (String key : List.of("conv_backend", "threads", "engine", "nd4j_version", "dataset_sha256",
                "float_model_key")) {
            String a = stored.getOrDefault(key, "(not recorded)");
            String b = now.getOrDefault(key, "(not recorded)");
            console.printf(ROW, key, a, b);
            if (!a.equals(b) && stored.containsKey(key)) {
                differ.add(key);
            }
        }
        if (o.equal()) {
            console.println("accuracy: bitwise equal");
        } else {
            console.println("accuracy: DIFFERS (" + Math.abs(s.accuracy() - r.accuracy()) + ")"
                    + (differ.isEmpty() ? "" : "; the recomputation differs from the stored run in " + differ
                    + ": other threads, convolution backends, engines and library versions round differently"));
        }
        if (o.equal() && !differ.isEmpty()) {
            console.println("note: the recomputation differs from the stored run in " + differ);
        }
        console.flush();
    }

    private static String bits(double v) {
        return String.format("0x%016x", Double.doubleToRawLongBits(v));
    }
}
