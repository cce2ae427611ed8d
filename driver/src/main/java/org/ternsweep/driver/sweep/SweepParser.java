package org.ternsweep.driver.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.ternsweep.catalog.Catalog;
import org.ternsweep.catalog.ComponentSpec;
import org.ternsweep.catalog.OptionException;
import org.ternsweep.catalog.OptionSpec;
import org.ternsweep.catalog.ReconstructionOptions;
import org.ternsweep.core.BadInputException;
import org.ternsweep.core.Sha256;
import org.ternsweep.data.DatasetException;
import org.ternsweep.data.NpzDataset;
import org.ternsweep.engine.EngineSelection;
import org.ternsweep.models.ModelZoo;
import org.ternsweep.models.onnx.ImportedNetwork;
import org.ternsweep.models.onnx.OnnxImporter;
import org.ternsweep.results.stats.AdaptiveSeeds;

/**
 * Reads a sweep file, applies {@code --set key=value} overrides (values parsed as YAML), validates
 * every key against the {@link Catalog} and resolves every default, once. The first problem found
 * becomes one {@link SweepException} naming file, line, key and what is allowed; nothing runs.
 * sweeps/README.md documents the keys.
 */
public final class SweepParser {

    /** Top-level keys, in the order sweeps/README.md documents them. */
    public static final List<String> KEYS = List.of("name", "dataset", "first_last", "model_seed", "model_seeds",
            "recipe", "evaluation", "reference", "calibration", "models", "seeds", "operators", "granularities",
            "methods", "engine");

    /** The keys of an imported model entry, in the order sweeps/README.md documents them. */
    public static final List<String> MODEL_KEYS = List.of("name", "onnx", "sha256", "mean", "std");

    /** The keys of {@code seeds: {adaptive: {...}}}, in the order sweeps/README.md documents them. */
    public static final List<String> ADAPTIVE_KEYS = List.of("initial", "max", "step", "ci95_half_width");

    /** The keys of a user dataset entry {@code dataset: {name, npz, sha256}}. */
    public static final List<String> DATASET_KEYS = List.of("name", "npz", "sha256");

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]+");
    /** A {@code --set} key: a top-level key or a dotted path into mappings, each part non-empty. */
    private static final Pattern KEY_PATH = Pattern.compile("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*");
    private static final String NAME_RULE = "letters, digits, '.', '_' and '-', other than '.' and '..'";
    private static final long MAX_RANGE = 1_000_000;
    /**
     * The most cells a grid may have (sweeps/README.md, "Axes"): the product of the axes is checked before
     * the grid is expanded, because expanding and listing tens of millions of cells exhausts the driver's
     * memory long before one of them could run.
     */
    public static final long MAX_CELLS = 100_000;

    private final String file;
    private final LocatedYaml yaml;
    /** The models whose network has no BatchNorm, in order, each with how its note says so. */
    private final Map<String, String> withoutBatchNorm = new LinkedHashMap<>();

    private SweepParser(String file, LocatedYaml yaml) {
        this.file = file;
        this.yaml = yaml;
    }

    /** Parses and validates a sweep file with optional {@code key=value} overrides. */
    public static Sweep parse(Path path, List<String> overrides) {
        String text;
        try {
            text = Files.readString(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new SweepException(path.toString(), "line 1", 1, "(file)",
                    "cannot read the sweep file (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")",
                    "a readable YAML file; check the path", e);
        }
        return parse(path.toString(), text, overrides);
    }

    /** Parses and validates sweep text; {@code file} is only used in messages. */
    public static Sweep parse(String file, String text, List<String> overrides) {
        LocatedYaml y = LocatedYaml.parse(file, text, null);
        for (String o : overrides == null ? List.<String>of() : overrides) {
            int eq = o.indexOf('=');
            String origin = "--set " + o;
            if (eq <= 0) {
                throw new SweepException(file, origin, -1, o, "an override must look like key=value",
                        "key=value with key one of " + String.join(", ", KEYS) + " or a dotted path like recipe.epochs");
            }
            String key = o.substring(0, eq).trim();
            if (!KEY_PATH.matcher(key).matches()) {
                throw new SweepException(file, origin, -1, key, "'" + key + "' is not a key path",
                        "a top-level key (" + String.join(", ", KEYS) + ") or a dotted path of them into a mapping,"
                                + " each part made of [A-Za-z0-9_-], like recipe.epochs");
            }
            if (!y.root().isObject() && !y.root().isNull()) {
                break;
            }
            y = y.with(key, LocatedYaml.parse(file, o.substring(eq + 1), origin), origin);
        }
        return new SweepParser(file, y).sweep();
    }

    private Sweep sweep() {
        JsonNode root = yaml.root();
        if (!root.isObject()) {
            throw fail("", "(root)", "the document must be a mapping of keys, got " + kind(root),
                    "the keys " + String.join(", ", KEYS));
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!KEYS.contains(k)) {
                throw fail("/" + k, k, "unknown key", "the keys " + String.join(", ", KEYS));
            }
        }
        String name = text("/name", null, null);
        if (name == null) {
            throw fail("", "name", "missing required key", "a name made of [A-Za-z0-9._-], other than '.' and '..'");
        }
        if (!NAME.matcher(name).matches()) {
            throw fail("/name", "name", "'" + name + "' is not a valid sweep name", NAME_RULE);
        }
        if (name.equals(".") || name.equals("..")) {
            // the default output directory is runs/<name>: "." and ".." would write outside runs/
            throw fail("/name", "name", "'" + name + "' names a directory, not a sweep", NAME_RULE);
        }
        DatasetEntry datasetEntry = dataset();
        String dataset = datasetEntry.name();
        String firstLast = text("/first_last", Catalog.DEFAULT_FIRST_LAST, Catalog.FIRST_LAST);
        List<Long> modelSeeds = modelSeeds();
        Map<String, Object> recipe = options("/recipe", Catalog.RECIPE, options("/recipe"));
        Map<String, Object> evaluation = options("/evaluation", Catalog.EVALUATION, options("/evaluation"));
        String reference = text("/reference", Catalog.DEFAULT_REFERENCE, List.copyOf(Catalog.operators().keySet()));
        OptionSpec calibrationSpec = ReconstructionOptions.CALIBRATION.spec();
        Long calibration = root.has(calibrationSpec.name())
                ? integer("/" + calibrationSpec.name(), 0, (long) calibrationSpec.min(), (long) calibrationSpec.max())
                : null;

        List<ModelEntry> models = new ArrayList<>();
        Set<String> modelNames = new HashSet<>();
        for (JsonNode n : axis("/models", "zoo model names or {name, onnx, mean, std} entries")) {
            String pointer = "/models/" + models.size();
            ModelEntry m = n.isObject() ? importedModel(n, pointer, dataset)
                    : ModelEntry.zoo(textAt(n, pointer, zooModelsOrEntry()));
            if (!m.imported() && !ModelZoo.build(m.name(), 0).hasBatchNorm()) {
                withoutBatchNorm.put(m.name(), "has no BatchNorm layer");
            }
            if (!modelNames.add(m.name())) {
                throw fail(pointer, key(pointer), "model '" + m.name() + "' is listed twice",
                        "each model once; an imported network needs a name of its own");
            }
            models.add(m);
        }
        List<String> warnings = new ArrayList<>();
        boolean seedsGiven = at("/model_seed") != null || at("/model_seeds") != null;
        for (ModelEntry m : models) {
            if (m.imported() && seedsGiven) {
                warnings.add("model " + m.name() + " is an imported network: it is its own float baseline, nothing is"
                        + " trained, so model_seed does not apply to it (its cells run once, with model_seed 0)");
            }
        }
        AdaptiveSeeds.Policy adaptive = adaptive();
        List<Long> seeds = adaptive != null ? range(0, adaptive.max() - 1L) : integers("/seeds");
        List<ComponentEntry> operators = components("/operators", Catalog.operators(), null);
        List<String> granularities = new ArrayList<>();
        for (JsonNode n : axis("/granularities", "granularity names")) {
            granularities.add(textAt(n, "/granularities/" + granularities.size(), Catalog.GRANULARITIES));
        }
        List<ComponentEntry> methods = components("/methods", Catalog.methods(), calibration);
        warnings.addAll(batchNormNotes(methods));
        String engine = text("/engine", EngineSelection.DEFAULT, EngineSelection.NAMES);
        checkGridSize(models.size(), methods.size(), operators.size(), granularities.size(), modelSeeds.size(),
                seeds.size());
        return new Sweep(name, dataset, firstLast, modelSeeds, recipe, evaluation, reference, calibration, models,
                seeds, adaptive, operators, granularities, methods, engine, warnings, datasetEntry.source(),
                datasetEntry.file());
    }

    /**
     * Notes for options that act only where a BatchNorm is: {@code bn_reestimation} re-estimates the layers a
     * BatchNorm is folded into and analytic bias correction ({@code bias_correction: true}) reads a ReLU(BN) input's
     * statistics, so on a network without BatchNorm (cnn-small, or an imported one whose exporter already folded
     * them, as torch.onnx.export in eval mode does) both change nothing. Its rows would silently equal plain
     * data-free, which is easy to misread in a results table, so the sweep says it up front.
     */
    private List<String> batchNormNotes(List<ComponentEntry> methods) {
        List<String> notes = new ArrayList<>();
        for (Map.Entry<String, String> model : withoutBatchNorm.entrySet()) {
            for (int i = 0; i < methods.size(); i++) {
                Map<String, Object> o = methods.get(i).options();
                List<String> idle = new ArrayList<>();
                if (Boolean.TRUE.equals(o.get("bn_reestimation"))) {
                    idle.add("bn_reestimation re-estimates no layer");
                }
                if (Boolean.TRUE.equals(o.get("bias_correction"))) {
                    idle.add("bias_correction: true (analytic) corrects no layer");
                }
                if (!idle.isEmpty()) {
                    notes.add("model " + model.getKey() + " " + model.getValue() + ", so in methods[" + i + "] ("
                            + methods.get(i).name() + ") " + String.join(" and ", idle)
                            + " of it; bias_correction: empirical works on any network");
                }
            }
        }
        return notes;
    }

    /** The sweep's dataset: its name, the cells' {@code dataset_source} and the file behind it (null if none). */
    private record DatasetEntry(String name, Map<String, Object> source, String file) {
    }

    /**
     * {@code dataset}: a built-in name, or {@code {name, npz[, sha256]}} for a user dataset. The npz is relative to
     * the sweep file's folder, absolute or a Hadoop URI; the file is read, validated and hashed here, so a bad file
     * stops the sweep before any cell runs. A recorded {@code sha256} (the resolved sweep.yaml has one) must match
     * the file; when the file is gone the recorded hash still names the cells, so the report of a finished run
     * does not need the data.
     */
    private DatasetEntry dataset() {
        List<String> builtIn = List.copyOf(Catalog.datasets().keySet());
        JsonNode n = at("/dataset");
        if (n == null || n.isNull() || !n.isObject()) {
            return new DatasetEntry(text("/dataset", Catalog.DEFAULT_DATASET, builtIn), Map.of(), null);
        }
        String allowed = "a built-in dataset (" + String.join(", ", builtIn) + ") or {name: NAME, npz: FILE}";
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!DATASET_KEYS.contains(k)) {
                throw fail("/dataset/" + k, "dataset." + k, "unknown key", "the keys " + String.join(", ",
                        DATASET_KEYS));
            }
        }
        String name = text("/dataset/name", null, null);
        if (name == null) {
            throw fail("/dataset", "dataset.name", "missing required key", "a name made of [A-Za-z0-9._-]");
        }
        if (!NAME.matcher(name).matches() || builtIn.contains(name.toLowerCase(Locale.ROOT))) {
            throw fail("/dataset/name", "dataset.name", "'" + name + "' is not a user dataset name",
                    "letters, digits, '.', '_' and '-', other than a built-in dataset's name (" + String.join(", ",
                            builtIn) + ")");
        }
        String npz = text("/dataset/npz", null, null);
        if (npz == null) {
            throw fail("/dataset", "dataset.npz", "missing required key", allowed);
        }
        String location = location(npz);
        String recorded = text("/dataset/sha256", null, null);
        if (recorded != null && !Sha256.isHex(recorded)) {
            throw fail("/dataset/sha256", "dataset.sha256", "'" + recorded + "' is not a SHA-256",
                    "64 lower-case hex digits (the file's SHA-256), or leave it out");
        }
        String sha;
        try {
            if (InputFiles.isUri(location)) {
                byte[] bytes = InputFiles.read(location);
                sha = NpzDataset.parse(name, location, bytes, Sha256.of(bytes)).sha256();
                if (recorded != null && !recorded.equals(sha)) {
                    throw new DatasetException(location + ": SHA-256 is " + sha + " but the sweep recorded "
                            + recorded + "; the file changed after the sweep was planned: run the sweep again");
                }
            } else {
                sha = NpzDataset.load(name, Path.of(location), recorded).sha256();
            }
        } catch (DatasetException e) {
            if (recorded != null && e.getCause() instanceof NoSuchFileException) {
                // gone since the run that recorded it: its hash still names the cells
                sha = recorded;
            } else {
                throw fail("/dataset/npz", "dataset.npz", e.getMessage(), "an npz with x_train, y_train, x_test"
                        + " and y_test as sweeps/README.md describes");
            }
        } catch (IOException e) {
            if (recorded == null || !(e instanceof FileNotFoundException)) {
                throw fail("/dataset/npz", "dataset.npz", "cannot read " + location + " ("
                        + e.getClass().getSimpleName() + ": " + e.getMessage() + ")",
                        "a readable npz file: absolute, a Hadoop URI, or relative to the sweep file's folder");
            }
            sha = recorded;
        }
        Map<String, Object> source = new LinkedHashMap<>();
        source.put("format", "npz");
        source.put("sha256", sha);
        return new DatasetEntry(name, source, location);
    }

    /** Refuses a grid whose product of axes exceeds {@link #MAX_CELLS}, naming the factors and the largest axis. */
    private void checkGridSize(int models, int methods, int operators, int granularities, int modelSeeds,
                               int seeds) {
        String[] axes = {"models", "methods", "operators", "granularities", "model_seeds", "seeds"};
        int[] sizes = {models, methods, operators, granularities, modelSeeds, seeds};
        BigInteger product = BigInteger.ONE;
        int largest = 0;
        List<String> factors = new ArrayList<>();
        for (int i = 0; i < axes.length; i++) {
            product = product.multiply(BigInteger.valueOf(sizes[i]));
            factors.add(sizes[i] + " " + axes[i]);
            largest = sizes[i] > sizes[largest] ? i : largest;
        }
        if (product.compareTo(BigInteger.valueOf(MAX_CELLS)) > 0) {
            throw fail("/" + axes[largest], axes[largest], "the grid has " + String.join(" × ", factors) + " = "
                    + product + " cells, more than the limit of " + MAX_CELLS, "at most " + MAX_CELLS
                    + " cells per sweep (sweeps/README.md); shrink an axis or split the sweep into several files");
        }
    }

    /** {@code model_seed} (one value) or {@code model_seeds} (a list or range), never both. */
    private List<Long> modelSeeds() {
        if (at("/model_seeds") != null) {
            if (at("/model_seed") != null) {
                throw fail("/model_seeds", "model_seeds", "both model_seed and model_seeds are set",
                        "one of them: model_seed: 0, or model_seeds: [0, 1, 2] (or {from: 0, to: 2})");
            }
            return integers("/model_seeds");
        }
        return List.of(integer("/model_seed", Catalog.DEFAULT_MODEL_SEED, 0, Long.MAX_VALUE));
    }

    /** The rule of {@code seeds: {adaptive: {...}}}, or null when the seeds are a list or range. */
    private AdaptiveSeeds.Policy adaptive() {
        JsonNode n = at("/seeds");
        if (n == null || !n.isObject() || !n.has("adaptive")) {
            return null;
        }
        if (n.size() != 1) {
            throw fail("/seeds", "seeds", "adaptive seeds take no other key beside 'adaptive'",
                    "seeds: {adaptive: {initial: 3, max: 30, step: 2, ci95_half_width: 0.005}}");
        }
        JsonNode a = n.get("adaptive");
        String example = "{initial: 3, max: 30, step: 2, ci95_half_width: 0.005}";
        if (!a.isObject()) {
            throw fail("/seeds/adaptive", "seeds.adaptive", "expected a mapping, got " + kind(a), example);
        }
        for (Iterator<String> it = a.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!ADAPTIVE_KEYS.contains(k)) {
                throw fail("/seeds/adaptive/" + k, "seeds.adaptive." + k, "unknown key of adaptive seeds",
                        String.join(", ", ADAPTIVE_KEYS));
            }
        }
        for (String k : ADAPTIVE_KEYS) {
            if (!a.has(k)) {
                throw fail("/seeds/adaptive", "seeds.adaptive." + k, "missing required key", example);
            }
        }
        int initial = (int) integer("/seeds/adaptive/initial", 0, 2, MAX_RANGE);
        int max = (int) integer("/seeds/adaptive/max", 0, initial, MAX_RANGE);
        int step = (int) integer("/seeds/adaptive/step", 0, 1, MAX_RANGE);
        JsonNode w = a.get("ci95_half_width");
        String allowedWidth = "a number in (0, 1): a fraction of accuracy, e.g. 0.005 for ±0.5 points";
        if (!w.isNumber()) {
            throw fail("/seeds/adaptive/ci95_half_width", "seeds.adaptive.ci95_half_width",
                    "expected a number, got " + kind(w), allowedWidth);
        }
        if (!(w.doubleValue() > 0.0 && w.doubleValue() < 1.0)) {
            throw fail("/seeds/adaptive/ci95_half_width", "seeds.adaptive.ci95_half_width",
                    "value " + w.doubleValue() + " is out of range", allowedWidth);
        }
        return new AdaptiveSeeds.Policy(initial, max, step, w.doubleValue());
    }

    /** A list of integers >= 0, or a range {@code {from: a, to: b}} (both ends included), at {@code pointer}. */
    private List<Long> integers(String pointer) {
        String k = key(pointer);
        JsonNode n = at(pointer);
        if (n != null && n.isObject()) {
            for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                if (!f.equals("from") && !f.equals("to")) {
                    throw fail(pointer + "/" + f, k + "." + f, "unknown key in a seed range",
                            pointer.equals("/seeds") ? "from, to; or adaptive" : "from, to");
                }
            }
            if (!n.has("from") || !n.has("to")) {
                throw fail(pointer, k, "a seed range needs both 'from' and 'to'", "{from: 0, to: 9}");
            }
            long from = integer(pointer + "/from", 0, 0, Long.MAX_VALUE);
            long to = integer(pointer + "/to", 0, 0, Long.MAX_VALUE);
            if (to < from || to - from >= MAX_RANGE) {
                throw fail(pointer + "/to", k + ".to", "range " + from + ".." + to + " is empty or too large",
                        "from <= to, at most " + MAX_RANGE + " seeds");
            }
            return range(from, to);
        }
        List<Long> out = new ArrayList<>();
        for (JsonNode s : axis(pointer, "integers >= 0, or a range {from: 0, to: 9}")) {
            out.add(integer(pointer + "/" + out.size(), 0, 0, Long.MAX_VALUE));
        }
        return out;
    }

    private static List<Long> range(long from, long to) {
        List<Long> out = new ArrayList<>();
        // counted by offset: "s <= to; s++" never ends when to is Long.MAX_VALUE
        for (long i = 0; i <= to - from; i++) {
            out.add(from + i);
        }
        return out;
    }

    private List<ComponentEntry> components(String pointer, Map<String, ComponentSpec<?>> catalog, Long calibration) {
        String axis = pointer.substring(1);
        String allowedNames = String.join(", ", catalog.keySet());
        List<ComponentEntry> out = new ArrayList<>();
        int i = 0;
        for (JsonNode n : axis(pointer, "names, or one-key maps name: {option: value}")) {
            String at = pointer + "/" + i;
            String name;
            JsonNode opts = null;
            String optsPointer;
            if (n.isTextual()) {
                name = n.asText();
                optsPointer = at;
            } else if (n.isObject() && n.size() == 1) {
                name = n.fieldNames().next();
                opts = n.get(name);
                optsPointer = at + "/" + name;
            } else {
                throw fail(at, key(at), "expected a name or a one-key map, got " + kind(n),
                        "a name (" + allowedNames + ") or name: {option: value}");
            }
            ComponentSpec<?> spec = catalog.get(name);
            if (spec == null) {
                throw fail(n.isTextual() ? at : optsPointer, key(at),
                        "unknown " + axis.substring(0, axis.length() - 1) + " '" + name + "'", allowedNames);
            }
            Map<String, Object> given = opts == null || opts.isNull() ? new LinkedHashMap<>() : options(optsPointer);
            String calibrationKey = ReconstructionOptions.CALIBRATION.name();
            if (calibration != null && spec.option(calibrationKey) != null && !given.containsKey(calibrationKey)) {
                given.put(calibrationKey, calibration);
            }
            out.add(new ComponentEntry(name, options(optsPointer, spec, given)));
            i++;
        }
        return out;
    }

    /** Reads a mapping of plain option values (numbers, booleans, strings). */
    private Map<String, Object> options(String pointer) {
        JsonNode n = at(pointer);
        Map<String, Object> out = new LinkedHashMap<>();
        if (n == null || n.isNull()) {
            return out;
        }
        if (!n.isObject()) {
            throw fail(pointer, key(pointer), "expected a mapping of options, got " + kind(n), "option: value pairs");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = e.getValue();
            Object value;
            if (v.isIntegralNumber()) {
                value = v.longValue();
            } else if (v.isNumber()) {
                value = v.doubleValue();
            } else if (v.isBoolean()) {
                value = v.booleanValue();
            } else if (v.isTextual()) {
                value = v.textValue();
            } else {
                throw fail(pointer + "/" + e.getKey(), key(pointer + "/" + e.getKey()),
                        "expected a single value, got " + kind(v), "a number, true/false or a name");
            }
            out.put(e.getKey(), value);
        }
        return out;
    }

    /**
     * Resolves a component's options, and builds its typed options record once so that values allowed one by one
     * but not together (adaround's batch above its calibration size) fail here too, not in the cells.
     */
    private Map<String, Object> options(String pointer, ComponentSpec<?> spec, Map<String, Object> given) {
        Map<String, Object> resolved;
        try {
            resolved = spec.resolve(given);
        } catch (OptionException e) {
            String p = at(pointer + "/" + e.key()) != null ? pointer + "/" + e.key() : pointer;
            throw new SweepException(file, yaml.origin(p), yaml.line(p), key(pointer + "/" + e.key()),
                    e.getMessage().replaceFirst("; allowed: .*$", ""), e.allowed(), e);
        }
        try {
            spec.read(resolved);
        } catch (BadInputException e) {
            throw new SweepException(file, yaml.origin(pointer), yaml.line(pointer), key(pointer), e.getMessage(), null,
                    e);
        }
        return resolved;
    }

    private static List<String> zooModelsOrEntry() {
        List<String> allowed = new ArrayList<>(Catalog.models().keySet());
        allowed.add("or an imported network {name: NAME, onnx: FILE.onnx, mean: [...], std: [...]}");
        return allowed;
    }

    /**
     * An imported network entry {@code {name, onnx, mean?, std?}}: the file is read (relative to the sweep file's
     * folder, absolute, or any Hadoop URI), hashed and imported here, so an unsupported op, a wrong input shape or an
     * unreadable file stops the sweep before anything runs.
     */
    private ModelEntry importedModel(JsonNode n, String pointer, String dataset) {
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!MODEL_KEYS.contains(k)) {
                throw fail(pointer + "/" + k, key(pointer + "/" + k), "unknown key of an imported model",
                        String.join(", ", MODEL_KEYS));
            }
        }
        if (!n.has("name") || !n.has("onnx")) {
            throw fail(pointer, key(pointer), "an imported model needs " + (n.has("name") ? "onnx" : "name"),
                    "{name: NAME, onnx: FILE.onnx} with optional sha256, and mean and std per input channel");
        }
        String name = textAt(n.get("name"), pointer + "/name", null);
        if (!NAME.matcher(name).matches() || name.equals(".") || name.equals("..")) {
            throw fail(pointer + "/name", key(pointer + "/name"), "'" + name + "' is not a valid model name", NAME_RULE);
        }
        if (Catalog.models().containsKey(name)) {
            throw fail(pointer + "/name", key(pointer + "/name"), "'" + name + "' is a zoo model's name",
                    "a name of its own for the imported network (the zoo has " + Catalog.models().keySet() + ")");
        }
        String given = textAt(n.get("onnx"), pointer + "/onnx", null);
        String location = location(given);
        byte[] bytes;
        try {
            bytes = InputFiles.read(location);
        } catch (IOException e) {
            throw fail(pointer + "/onnx", key(pointer + "/onnx"), "cannot read " + location + " ("
                    + e.getClass().getSimpleName() + ": " + e.getMessage() + ")",
                    "a readable ONNX file: absolute, a Hadoop URI, or relative to the sweep file's folder");
        }
        List<Double> mean = numbers(n.get("mean"), pointer + "/mean", false);
        List<Double> std = numbers(n.get("std"), pointer + "/std", true);
        if ((mean == null) != (std == null) || mean != null && mean.size() != std.size()) {
            throw fail(pointer + (mean == null ? "/std" : "/mean"), key(pointer + (mean == null ? "/std" : "/mean")),
                    mean == null || std == null ? "mean and std come together" : "mean has " + mean.size()
                            + " values but std has " + std.size(),
                    "both mean and std with one value per input channel (or one value for all), or neither");
        }
        ImportedNetwork net;
        try {
            net = OnnxImporter.read(bytes, location, floats(mean), floats(std));
        } catch (BadInputException e) {
            throw fail(pointer + "/onnx", key(pointer + "/onnx"), e.getMessage(),
                    "an image classifier of the supported ops " + OnnxImporter.SUPPORTED + " (docs/models.md)");
        }
        int[] shape = Catalog.imageShape(dataset);
        try {
            if (shape != null) {
                net.requireInputShape(shape[0], shape[1], shape[2], dataset);
            }
        } catch (BadInputException e) {
            throw fail(pointer + "/onnx", key(pointer + "/onnx"), e.getMessage(),
                    "a network that takes the dataset's images");
        }
        if (n.has("sha256")) {
            // a pinned content (the resolved sweep.yaml pins every file): the file must still be that one
            String pinned = textAt(n.get("sha256"), pointer + "/sha256", null);
            if (!pinned.equals(net.sha256())) {
                throw fail(pointer + "/sha256", key(pointer + "/sha256"), location + " has SHA-256 " + net.sha256()
                        + ", not the pinned " + pinned + " (the file was edited or replaced)",
                        "the SHA-256 of the file as it is, or no sha256 key");
            }
        }
        if (!net.network().hasBatchNorm()) {
            withoutBatchNorm.put(name, "has no BatchNormalization node (exporters fold them into the convolutions in"
                    + " eval mode)");
        }
        return new ModelEntry(name, location, net.sha256(), mean, std, net.producer(), net.opset());
    }

    /** An absolute local path (relative ones against the sweep file's folder) or a URI with a scheme, as given. */
    private String location(String given) {
        if (InputFiles.isUri(given)) {
            return given;
        }
        Path p = Path.of(given);
        if (!p.isAbsolute()) {
            Path dir = Path.of(file).toAbsolutePath().getParent();
            p = dir == null ? p.toAbsolutePath() : dir.resolve(p);
        }
        return p.normalize().toString();
    }

    /** A non-empty list of finite numbers (positive ones when {@code positive}), or null when absent. */
    private List<Double> numbers(JsonNode n, String pointer, boolean positive) {
        if (n == null || n.isNull()) {
            return null;
        }
        String allowed = "a non-empty list of " + (positive ? "positive " : "") + "numbers, one per input channel";
        if (!n.isArray() || n.isEmpty()) {
            throw fail(pointer, key(pointer), "expected a list of numbers, got " + kind(n), allowed);
        }
        List<Double> out = new ArrayList<>();
        for (JsonNode v : n) {
            String at = pointer + "/" + out.size();
            if (!v.isNumber() || !Double.isFinite(v.doubleValue()) || positive && !(v.doubleValue() > 0)) {
                throw fail(at, key(at), "got " + kind(v), allowed);
            }
            out.add(v.doubleValue());
        }
        return out;
    }

    private static float[] floats(List<Double> values) {
        if (values == null) {
            return null;
        }
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i).floatValue();
        }
        return out;
    }

    private Iterable<JsonNode> axis(String pointer, String what) {
        JsonNode n = at(pointer);
        String k = key(pointer);
        if (n == null) {
            throw fail("", k, "missing required axis", "a non-empty list of " + what);
        }
        if (!n.isArray()) {
            throw fail(pointer, k, "expected a list, got " + kind(n), "a non-empty list of " + what);
        }
        if (n.isEmpty()) {
            throw fail(pointer, k, "empty axis (the grid would have no cells)", "a non-empty list of " + what);
        }
        return n;
    }

    private String text(String pointer, String def, List<String> allowed) {
        JsonNode n = at(pointer);
        if (n == null || n.isNull()) {
            return def;
        }
        return textAt(n, pointer, allowed);
    }

    private String textAt(JsonNode n, String pointer, List<String> allowed) {
        String what = allowed == null ? "a name" : String.join(", ", allowed);
        if (!n.isTextual()) {
            throw fail(pointer, key(pointer), "expected a name, got " + kind(n), what);
        }
        if (allowed != null && !allowed.contains(n.textValue())) {
            throw fail(pointer, key(pointer), "unknown value '" + n.textValue() + "'", what);
        }
        return n.textValue();
    }

    private long integer(String pointer, long def, long min, long max) {
        JsonNode n = at(pointer);
        if (n == null || n.isNull()) {
            return def;
        }
        String allowed = "an integer in [" + min + ", " + (max == Long.MAX_VALUE ? "∞" : String.valueOf(max)) + "]";
        if (!n.isIntegralNumber()) {
            throw fail(pointer, key(pointer), "expected an integer, got " + kind(n), allowed);
        }
        long v = n.longValue();
        if (v < min || v > max) {
            throw fail(pointer, key(pointer), "value " + v + " is out of range", allowed);
        }
        return v;
    }

    private JsonNode at(String pointer) {
        JsonNode n = yaml.root().at(pointer);
        return n.isMissingNode() ? null : n;
    }

    private SweepException fail(String pointer, String key, String problem, String allowed) {
        return new SweepException(file, yaml.origin(pointer), yaml.line(pointer), key, problem, allowed);
    }

    /** {@code /operators/1/mquant/level} → {@code operators[1].mquant.level}. */
    static String key(String pointer) {
        StringBuilder sb = new StringBuilder();
        for (String part : pointer.substring(pointer.isEmpty() ? 0 : 1).split("/")) {
            if (part.isEmpty()) {
                continue;
            }
            if (part.chars().allMatch(Character::isDigit)) {
                sb.append('[').append(part).append(']');
            } else {
                sb.append(sb.isEmpty() ? "" : ".").append(part.replace("~1", "/").replace("~0", "~"));
            }
        }
        return sb.isEmpty() ? "(root)" : sb.toString();
    }

    private static String kind(JsonNode n) {
        if (n.isObject()) {
            return "a mapping";
        }
        if (n.isArray()) {
            return "a list";
        }
        if (n.isNull()) {
            return "nothing (null)";
        }
        return (n.isTextual() ? "the text '" : n.isBoolean() ? "the boolean '" : "the number '") + n.asText() + "'";
    }
}
