package org.ternsweep.driver.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import onnx.Onnx;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ternsweep.core.CellResult;
import org.ternsweep.core.CellSpec;
import org.ternsweep.core.RunContext;
import org.ternsweep.data.Dataset;
import org.ternsweep.data.Datasets;
import org.ternsweep.data.ResolverConfig;
import org.ternsweep.engine.Engine;
import org.ternsweep.engine.Network;
import org.ternsweep.engine.Tensor;
import org.ternsweep.models.Nd4jEngines;
import org.ternsweep.results.model.CellRow;
import org.ternsweep.results.model.LayerRow;
import org.ternsweep.results.store.CellParquetWriter;
import org.ternsweep.results.store.CellReader;
import org.ternsweep.results.store.OutputLayout;
import org.ternsweep.results.store.StoredCell;
import org.ternsweep.runner.CellRunner;

/**
 * {@code ternsweep reproduce} and {@code export} on a tiny real sweep (both zoo networks, data-free and AdaRound,
 * both granularities, int8 first and last layers): every cell recomputes to the bit, also with its float model
 * trained again; a tampered stored accuracy is caught; the exported file runs in ONNX Runtime at the cell's
 * accuracy with the engine's logits, carries the cell in its metadata, and its ternary layers hold at most three
 * values per output channel or tensor; bad input is refused with exit code and message.
 */
class ReproduceExportTest {
    static final Path FASHION = Path.of("/usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz");
    static final String SWEEP = """
            name: repro
            models: [cnn-small, resnet-8]
            seeds: [0]
            operators: [tquant]
            granularities: [per-tensor, per-channel]
            methods:
              - data-free
              - adaround: {iterations: 20, calibration: 64, batch: 16}
            recipe: {epochs: 0.2, train_subset: 2000}
            evaluation: {test_subset: 500}
            """;
    private static final double LOGIT_TOLERANCE = 1e-4;

    @TempDir
    static Path dir;
    static Path out;
    static Path cache;
    static List<StoredCell> cells;

    @TempDir
    Path scratch;

    record Run(int rc, String out, String err) {
        String all() {
            return out + "\n" + err;
        }
    }

    static Run cli(String... args) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        int rc = Main.execute(args, new PrintStream(o, true, StandardCharsets.UTF_8),
                new PrintStream(e, true, StandardCharsets.UTF_8));
        return new Run(rc, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    }

    @BeforeAll
    static void runTheSweep() throws IOException {
        Assumptions.assumeTrue(Files.exists(FASHION), "Fashion-MNIST is not installed: apt-get install -y"
                + " fashion-mnist (or see docs/datasets.md)");
        out = dir.resolve("out");
        cache = dir.resolve("cache");
        Path sweep = Files.writeString(dir.resolve("repro.yaml"), SWEEP);
        Run r = cli("run", sweep.toString(), "--out", out.toString(), "--master", "local[2]", "--no-ui", "--offline",
                "--cache", cache.toString());
        assertEquals(Main.OK, r.rc(), r.all());
        cells = CellReader.read(OutputLayout.forUserPath(out.toString(), "out"), new Configuration());
        assertEquals(8, cells.size());
    }

    private static StoredCell cell(String model, String method, String granularity) {
        return cells.stream().filter(c -> c.row().model().equals(model) && c.row().method().equals(method)
                && c.row().granularity().equals(granularity)).findFirst().orElseThrow();
    }

    @Test
    void everyCellRecomputesToTheBit() {
        for (StoredCell c : cells) {
            String id = c.row().cellId();
            // the shortest prefix for one cell, the full id for the others
            Run r = cli("reproduce", out.toString(), c == cells.get(0) ? id.substring(0, 8) : id, "--cache",
                    cache.toString(), "--offline");
            assertEquals(Main.OK, r.rc(), r.all());
            assertTrue(r.out().contains("accuracy: bitwise equal"), r.out());
            assertTrue(r.out().contains(Double.toString(c.row().accuracy())), r.out());
            assertTrue(r.out().contains(String.format("0x%016x", Double.doubleToRawLongBits(c.row().accuracy()))),
                    r.out());
            assertFalse(r.out().contains("note: the recomputation differs"), r.out());
        }
    }

    @Test
    void aFloatModelMissingFromTheCacheIsTrainedAgainToTheSameBits() {
        StoredCell c = cell("cnn-small", "adaround", "per-channel");
        Run r = cli("reproduce", out.toString(), c.row().cellId(), "--cache", scratch.resolve("empty-cache").toString(),
                "--offline");
        assertEquals(Main.OK, r.rc(), r.all());
        assertTrue(r.out().contains("accuracy: bitwise equal"), r.out());
    }

    @Test
    void anotherConvolutionBackendIsNamedInTheOutput() {
        StoredCell c = cell("cnn-small", "data-free", "per-tensor");
        Assumptions.assumeTrue("dnnl".equals(c.provenance().get("conv_backend")), "oneDNN did not load here");
        Run r = cli("reproduce", out.toString(), c.row().cellId(), "--cache", cache.toString(), "--offline",
                "--conv-backend", "gemm");
        assertTrue(r.rc() == Main.OK || r.rc() == Main.FAILED, r.all());
        assertTrue(r.out().matches("(?s).*conv_backend +dnnl +gemm.*"), r.out());
        assertTrue(r.out().contains("differs from the stored run in [conv_backend]"), r.out());
    }

    /** A copy of the output directory in which one cell's stored accuracy is one ulp off. */
    private Path tampered(StoredCell c) throws IOException {
        Path copy = scratch.resolve("tampered");
        try (Stream<Path> s = Files.walk(out)) {
            for (Path p : s.toList()) {
                Files.copy(p, copy.resolve(out.relativize(p).toString()));
            }
        }
        OutputLayout layout = OutputLayout.forUserPath(copy.toString(), "copy");
        CellSpec spec = CellSpec.fromJson(CellReader.specJsons(layout, new Configuration()).get(c.row().cellId()));
        CellRow row = c.row();
        CellResult forged = new CellResult(spec.cellId(), spec, CellResult.Status.OK, null, null,
                Math.nextUp(row.accuracy()), row.crossEntropy(), row.floatAccuracy(), row.quantizeSeconds(),
                row.evalSeconds(), List.of(), List.of(), c.provenance());
        CellParquetWriter.write(forged, Instant.now(), layout.cell(spec.cellId()), new Configuration());
        return copy;
    }

    @Test
    void aTamperedStoredAccuracyFailsReproduceAndExport() throws IOException {
        StoredCell c = cell("resnet-8", "data-free", "per-channel");
        Path copy = tampered(c);
        Run r = cli("reproduce", copy.toString(), c.row().cellId(), "--cache", cache.toString(), "--offline");
        assertEquals(Main.FAILED, r.rc(), r.all());
        assertTrue(r.out().contains("accuracy: DIFFERS"), r.out());

        Path onnx = scratch.resolve("refused.onnx");
        r = cli("export", copy.toString(), c.row().cellId(), "--cache", cache.toString(), "--offline", "--to",
                onnx.toString());
        assertEquals(Main.FAILED, r.rc(), r.all());
        assertTrue(r.out().contains("not exported"), r.out());
        assertFalse(Files.exists(onnx));

        r = cli("export", copy.toString(), c.row().cellId(), "--cache", cache.toString(), "--offline", "--to",
                onnx.toString(), "--force");
        assertEquals(Main.FAILED, r.rc(), r.all());
        assertTrue(Files.exists(onnx), r.all());
    }

    @Test
    void exportedCellsRunInOnnxRuntimeAtTheCellsAccuracy() throws Exception {
        Dataset data = Datasets.load("fashion-mnist", new ResolverConfig(null, ResolverConfig.DEBIAN_ROOT, cache, false,
                Duration.ofSeconds(60)));
        int n = 500;
        Tensor images = new Tensor(java.util.Arrays.copyOf(data.testImages(), n * data.pixels()), n,
                data.channels(), data.height(), data.width());
        int[] labels = data.testLabels(0, n);
        for (StoredCell c : List.of(cell("cnn-small", "adaround", "per-channel"),
                cell("resnet-8", "adaround", "per-tensor"), cell("resnet-8", "data-free", "per-channel"))) {
            String id = c.row().cellId();
            Path onnx = scratch.resolve(c.row().model() + "-" + c.row().method() + ".onnx");
            Run r = cli("export", out.toString(), id, "--cache", cache.toString(), "--offline", "--to",
                    onnx.toString());
            assertEquals(Main.OK, r.rc(), r.all());
            assertTrue(r.out().contains("wrote " + onnx), r.out());
            byte[] bytes = Files.readAllBytes(onnx);

            Onnx.ModelProto model = Onnx.ModelProto.parseFrom(bytes);
            Map<String, String> meta = new java.util.HashMap<>();
            model.getMetadataPropsList().forEach(e -> meta.put(e.getKey(), e.getValue()));
            assertEquals(id, meta.get("ternsweep.cell_id"));
            assertEquals(id, CellSpec.fromJson(meta.get("ternsweep.spec_json")).cellId());
            assertEquals(c.row().method(), meta.get("ternsweep.method"));
            assertEquals(13, model.getOpsetImport(0).getVersion());
            assertEquals("ternsweep", model.getProducerName());
            assertTernaryLayersHoldThreeValues(model, c.row());

            float[] ort = ortLogits(bytes, images);
            float[] engine = engineLogits(c, images);
            int classes = ort.length / n;
            int correct = 0;
            for (int i = 0; i < n; i++) {
                double scale = 1;
                for (int j = 0; j < classes; j++) {
                    scale = Math.max(scale, Math.abs(engine[i * classes + j]));
                }
                for (int j = 0; j < classes; j++) {
                    int k = i * classes + j;
                    assertTrue(Math.abs(engine[k] - ort[k]) <= LOGIT_TOLERANCE * scale, id + " image " + i
                            + " logit " + j + ": engine " + engine[k] + ", ONNX Runtime " + ort[k]);
                }
                if (argmax(ort, i * classes, classes) == labels[i]) {
                    correct++;
                }
            }
            assertEquals(c.row().accuracy(), (double) correct / n, id + ": ONNX Runtime's accuracy");
        }
    }

    /** Every ternary layer's weight takes at most 3 values per output channel (per-channel) or per tensor. */
    private static void assertTernaryLayersHoldThreeValues(Onnx.ModelProto model, CellRow row) {
        int ternary = 0;
        for (LayerRow l : row.layers()) {
            if (!l.scheme().equals("ternary")) {
                continue;
            }
            ternary++;
            Onnx.TensorProto w = model.getGraph().getInitializerList().stream()
                    .filter(t -> t.getName().equals(l.layer() + ".W")).findFirst().orElseThrow(
                            () -> new AssertionError("no initializer " + l.layer() + ".W"));
            float[] v = new float[w.getRawData().size() / 4];
            w.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
            // conv [out, in, k, k]: channels on axis 0; dense [nIn, nOut]: on axis 1
            boolean dense = w.getDimsCount() == 2;
            int channels = row.granularity().equals("per-channel") ? (int) w.getDims(dense ? 1 : 0) : 1;
            List<Set<Float>> values = new ArrayList<>();
            for (int ch = 0; ch < channels; ch++) {
                values.add(new HashSet<>());
            }
            int nOut = dense ? (int) w.getDims(1) : 1;
            for (int i = 0; i < v.length; i++) {
                int ch = channels == 1 ? 0 : dense ? i % nOut : i / (v.length / channels);
                values.get(ch).add(v[i]);
            }
            for (int ch = 0; ch < channels; ch++) {
                assertTrue(values.get(ch).size() <= 3, row.cellId() + " layer " + l.layer() + " channel " + ch
                        + " holds " + values.get(ch));
            }
        }
        assertTrue(ternary > 0, "cell " + row.cellId() + " has no ternary layer");
    }

    /** The engine's logits of the cell's quantized network, recomputed here. */
    private static float[] engineLogits(StoredCell c, Tensor images) throws IOException {
        OutputLayout layout = OutputLayout.forUserPath(out.toString(), "out");
        CellSpec spec = CellSpec.fromJson(CellReader.specJsons(layout, new Configuration()).get(c.row().cellId()));
        CellRunner.Reproduction r = new CellRunner().reproduce(spec, new RunContext(null, cache.toString(), 1, false,
                "dnnl"));
        assertEquals(c.row().accuracy(), r.result().accuracy());
        try (Engine engine = Nd4jEngines.create(1, "dnnl")) {
            Network net = r.network().bind(engine);
            return net.forward(images, false).data();
        }
    }

    private static int argmax(float[] v, int from, int n) {
        int best = 0;
        for (int j = 1; j < n; j++) {
            if (v[from + j] > v[from + best]) {
                best = j;
            }
        }
        return best;
    }

    private static float[] ortLogits(byte[] model, Tensor x) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
            opts.setIntraOpNumThreads(2);
            try (OrtSession session = env.createSession(model, opts);
                 OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(x.data()), new long[] {x.dim(0),
                         x.dim(1), x.dim(2), x.dim(3)});
                 OrtSession.Result r = session.run(Map.of("input", t))) {
                float[][] y = (float[][]) r.get(0).getValue();
                float[] o = new float[y.length * y[0].length];
                for (int i = 0; i < y.length; i++) {
                    System.arraycopy(y[i], 0, o, i * y[i].length, y[i].length);
                }
                return o;
            }
        }
    }

    // ---------------------------------------------------------------- bad input

    @Test
    void anUnknownOutputDirectoryIsBadInput() {
        Path missing = scratch.resolve("no-such-run");
        Run r = cli("reproduce", missing.toString(), "0123456789abcdef");
        assertEquals(Main.BAD_INPUT, r.rc(), r.all());
        assertTrue(r.err().contains("output directory " + missing + " does not exist"), r.err());
    }

    @Test
    void anUnknownCellIsBadInput() {
        Run r = cli("reproduce", out.toString(), "ffffffff0000");
        assertEquals(Main.BAD_INPUT, r.rc(), r.all());
        assertTrue(r.err().contains("no cell of " + out + " has an id starting with ffffffff0000 (it holds 8 cells)"),
                r.err());
        r = cli("reproduce", out.toString(), "abc");
        assertEquals(Main.BAD_INPUT, r.rc(), r.all());
        assertTrue(r.err().contains("at least 8 hex digits"), r.err());
    }

    @Test
    void anAmbiguousPrefixListsTheCandidates() throws IOException {
        // two stored rows whose ids share their first 8 hex digits (a collision no real grid this small has)
        Path copy = scratch.resolve("ambiguous");
        Files.createDirectories(copy.resolve("cells"));
        Files.copy(out.resolve("sweep.yaml"), copy.resolve("sweep.yaml"));
        CellSpec spec = CellSpec.fromJson(CellReader.specJsons(OutputLayout.forUserPath(out.toString(), "out"),
                new Configuration()).get(cells.get(0).row().cellId()));
        OutputLayout layout = OutputLayout.forUserPath(copy.toString(), "copy");
        List<String> ids = List.of("deadbeef" + "0".repeat(56), "deadbeef" + "1".repeat(56));
        for (String id : ids) {
            CellResult failed = CellResult.failed(spec, new IllegalStateException("x"), Map.of());
            CellParquetWriter.write(new CellResult(id, spec, failed.status(), failed.errorClass(), "x", Double.NaN,
                    Double.NaN, Double.NaN, Double.NaN, Double.NaN, List.of(), List.of(), Map.of()), Instant.now(),
                    layout.cell(id), new Configuration());
        }
        Run r = cli("export", copy.toString(), "DEADBEEF", "--to", scratch.resolve("x.onnx").toString());
        assertEquals(Main.BAD_INPUT, r.rc(), r.all());
        assertTrue(r.err().contains("cell id prefix deadbeef matches 2 cells of " + copy + "; give more digits:"),
                r.err());
        for (String id : ids) {
            assertTrue(r.err().contains("\n  " + id + "  " + spec.model() + " on fashion-mnist"), r.err());
        }
    }

    @Test
    void anUnwritableTargetIsRefusedBeforeAnythingRuns() throws IOException {
        String id = cells.get(0).row().cellId();
        Path noDir = scratch.resolve("no-such-dir").resolve("cell.onnx");
        Run r = cli("export", out.toString(), id, "--to", noDir.toString());
        assertEquals(Main.BAD_INPUT, r.rc(), r.all());
        assertTrue(r.err().contains("--to " + noDir + ": its directory " + noDir.getParent() + " does not exist"),
                r.err());
        assertFalse(r.out().contains("recomputing"), r.out());

        Path aDir = Files.createDirectories(scratch.resolve("a-dir.onnx"));
        r = cli("export", out.toString(), id, "--to", aDir.toString());
        assertEquals(Main.BAD_INPUT, r.rc(), r.all());
        assertTrue(r.err().contains("--to " + aDir + ": is a directory"), r.err());
    }

    /**
     * A cell on an imported network (nets/vgg.onnx, PyTorch's), run by a real sweep that names the file: reproduce
     * finds the file again through the resolved sweep.yaml, recomputes the cell to the bit and exports it; ONNX
     * Runtime's accuracy of the export is the cell's. Once the file moved, the cell's data are missing (exit 3)
     * until --input names the new place.
     */
    @Test
    void anImportedNetworksCellReproducesAndExports() throws Exception {
        Path vgg = Files.copy(Path.of("..", "nets", "vgg.onnx"), Files.createDirectories(scratch.resolve("nets"))
                .resolve("vgg.onnx"));
        Path copy = scratch.resolve("vgg-run");
        Path sweep = Files.writeString(scratch.resolve("vgg.yaml"), """
                name: vgg
                models: [{name: vgg, onnx: FILE}]
                seeds: [0]
                operators: [tquant]
                granularities: [per-channel]
                methods: [data-free]
                evaluation: {test_subset: 500}
                """.replace("FILE", vgg.toString()));
        Run r = cli("run", sweep.toString(), "--out", copy.toString(), "--master", "local[2]", "--no-ui",
                "--offline", "--cache", cache.toString());
        assertEquals(Main.OK, r.rc(), r.all());
        StoredCell stored = CellReader.read(OutputLayout.forUserPath(copy.toString(), "copy"), new Configuration())
                .get(0);
        CellSpec spec = CellSpec.fromJson(CellReader.specJsons(OutputLayout.forUserPath(copy.toString(), "copy"),
                new Configuration()).get(stored.row().cellId()));
        assertEquals(org.ternsweep.core.Sha256.of(vgg), spec.modelSource().get("sha256"));
        r = cli("reproduce", copy.toString(), spec.cellId().substring(0, 10), "--cache", cache.toString(),
                "--offline");
        assertEquals(Main.OK, r.rc(), r.all());
        assertTrue(r.out().contains("accuracy: bitwise equal"), r.out());

        Path onnx = scratch.resolve("vgg-ternary.onnx");
        r = cli("export", copy.toString(), spec.cellId(), "--cache", cache.toString(), "--offline", "--to",
                onnx.toString());
        assertEquals(Main.OK, r.rc(), r.all());
        Dataset data = Datasets.load("fashion-mnist", new ResolverConfig(null, ResolverConfig.DEBIAN_ROOT, cache, false,
                Duration.ofSeconds(60)));
        int n = 500;
        float[] ort = ortLogits(Files.readAllBytes(onnx), new Tensor(java.util.Arrays.copyOf(data.testImages(),
                n * data.pixels()), n, data.channels(), data.height(), data.width()));
        int[] labels = data.testLabels(0, n);
        int correct = 0;
        for (int i = 0; i < n; i++) {
            if (argmax(ort, i * 10, 10) == labels[i]) {
                correct++;
            }
        }
        assertEquals(stored.row().accuracy(), (double) correct / n, "ONNX Runtime's accuracy of the exported cell");

        Path moved = Files.move(vgg, scratch.resolve("moved.onnx"));
        r = cli("reproduce", copy.toString(), spec.cellId(), "--cache", cache.toString(), "--offline");
        assertEquals(Main.MISSING_DATA, r.rc(), r.all());
        assertTrue(r.err().contains("needs the file with SHA-256 " + spec.modelSource().get("sha256") + " (the ONNX"
                + " network of model vgg), and no file here has it: " + vgg + " (model vgg in sweep.yaml) does not"
                + " exist; the file was moved or edited since the run"), r.err());
        r = cli("reproduce", copy.toString(), spec.cellId(), "--cache", cache.toString(), "--offline", "--input",
                moved.toString());
        assertEquals(Main.OK, r.rc(), r.all());
        assertTrue(r.out().contains("accuracy: bitwise equal"), r.out());
    }

    @Test
    void anImportedNetworkWhoseFileMovedIsMissingData() throws IOException {
        // a stored cell on an imported network, whose sweep.yaml entry now points at a file with other content
        Path copy = scratch.resolve("imported");
        Files.createDirectories(copy.resolve("cells"));
        Path onnx = Files.writeString(scratch.resolve("my-net.onnx"), "edited since the run");
        Files.writeString(copy.resolve("sweep.yaml"), "name: imported\nmodels:\n  - {name: my-net, onnx: " + onnx
                + ", sha256: " + "a".repeat(64) + "}\n");
        CellSpec zoo = CellSpec.fromJson(CellReader.specJsons(OutputLayout.forUserPath(out.toString(), "out"),
                new Configuration()).get(cells.get(0).row().cellId()));
        CellSpec spec = new CellSpec(zoo.dataset(), "my-net", zoo.recipe(), zoo.modelSeed(), zoo.operator(),
                zoo.operatorOptions(), zoo.granularity(), zoo.firstLast(), zoo.method(), zoo.methodOptions(),
                zoo.seed(), zoo.evaluation(), Map.of("format", "onnx", "sha256", "a".repeat(64)), Map.of());
        CellParquetWriter.write(new CellResult(spec.cellId(), spec, CellResult.Status.OK, null, null, 0.5, 1.0, 0.6,
                1.0, 1.0, List.of(), List.of(), Map.of()), Instant.now(),
                OutputLayout.forUserPath(copy.toString(), "copy").cell(spec.cellId()), new Configuration());
        Run r = cli("reproduce", copy.toString(), spec.cellId(), "--cache", cache.toString(), "--offline");
        assertEquals(Main.MISSING_DATA, r.rc(), r.all());
        assertTrue(r.err().contains("needs the file with SHA-256 " + "a".repeat(64) + " (the ONNX network of model"
                + " my-net), and no file here has it: " + onnx + " (model my-net in sweep.yaml) has SHA-256 "
                + org.ternsweep.core.Sha256.of(onnx)), r.err());
        assertTrue(r.err().contains("the file was moved or edited since the run"), r.err());

        Files.delete(onnx);
        r = cli("reproduce", copy.toString(), spec.cellId(), "--cache", cache.toString(), "--offline");
        assertEquals(Main.MISSING_DATA, r.rc(), r.all());
        assertTrue(r.err().contains(onnx + " (model my-net in sweep.yaml) does not exist"), r.err());
    }
}
