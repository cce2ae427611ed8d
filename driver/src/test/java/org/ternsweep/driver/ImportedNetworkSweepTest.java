package org.ternsweep.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ternsweep.core.CellSpec;
import org.ternsweep.core.Sha256;
import org.ternsweep.data.Dataset;
import org.ternsweep.data.Datasets;
import org.ternsweep.data.ResolverConfig;
import org.ternsweep.driver.spark.RunOptions;
import org.ternsweep.driver.spark.RunReport;
import org.ternsweep.driver.spark.SparkSessions;
import org.ternsweep.driver.spark.SweepRunner;
import org.ternsweep.driver.sweep.SweepParser;
import org.ternsweep.runner.CellRunner;

/**
 * A user's network through a real sweep: the ResNet-20 fixture (exported by PyTorch, normalised by the sweep entry)
 * under all four methods, on local Spark with the real runner and real Fashion-MNIST. The float accuracy ternsweep
 * measures is PyTorch's on the same test images (from its recorded predictions); every cell is OK and names its file by
 * content; a second run from a copy of the file elsewhere finds every cell done.
 */
class ImportedNetworkSweepTest {
    private static final Path NETS = Path.of("..", "nets");
    /** The first test images: PyTorch's prediction for each is in fixtures.json (OnnxImporterTest checks all 10 000). */
    private static final int TEST_IMAGES = 1000;
    private static SparkSession spark;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        Assumptions.assumeTrue(Files.exists(EndToEndTest.FASHION),
                "Fashion-MNIST is not installed: apt-get install -y dataset-fashion-mnist (.ci/run does this)");
        spark = SparkSessions.create("local[2]", 1, "ternsweep-imported", false);
    }

    @AfterAll
    static void stop() {
        if (spark != null) {
            spark.stop();
        }
    }

    private static String sweep(String onnx) {
        return """
                name: imported
                models:
                  - {name: resnet20-onnx, onnx: %s, mean: [0.286], std: [0.353]}
                model_seed: 3
                seeds: [0]
                operators: [native, tquant]
                granularities: [per-channel]
                methods:
                  - data-free
                  - adaround: {iterations: 30, calibration: 64, batch: 16}
                  - brecq: {iterations: 30, calibration: 64, batch: 16}
                  - qat: {epochs: 0.01}
                evaluation: {test_subset: %d}
                """.formatted(onnx, TEST_IMAGES);
    }

    private RunReport run(Path sweepFile, String text) throws IOException {
        Files.createDirectories(sweepFile.getParent());
        Files.writeString(sweepFile, text);
        RunOptions o = new RunOptions(dir.resolve("out").toString(), dir.resolve("cache").toString(), null, 1, false,
                CellRunner.class.getName(), false);
        return new SweepRunner(spark, new PrintWriter(Writer.nullWriter()), false)
                .run(SweepParser.parse(sweepFile, List.of()), o);
    }

    @Test
    void theResnet20FixtureRunsThroughEveryMethodAtPyTorchsFloatAccuracy() throws IOException {
        JsonNode fixture = new ObjectMapper().readTree(NETS.resolve("fixtures.json").toFile())
                .get("fixtures").get("resnet20");
        Path file = dir.resolve("nets/resnet20.onnx");
        Files.createDirectories(file.getParent());
        Files.copy(NETS.resolve("resnet20.onnx"), file);
        String sha = Sha256.of(file);

        RunReport first = run(dir.resolve("sweep.yaml"), sweep("nets/resnet20.onnx"));
        assertEquals(8, first.totalCells(), "model_seed does not multiply an imported network");
        assertTrue(first.failed().isEmpty(), () -> "failed cells: " + first.failed());

        List<Row> cells = spark.read().parquet(dir.resolve("out/cells").toString()).collectAsList();
        assertEquals(8, cells.size());
        // PyTorch's accuracy on the same images, from its recorded per-image predictions
        Dataset data = Datasets.load("fashion-mnist", new ResolverConfig(null, ResolverConfig.DEBIAN_ROOT,
                dir.resolve("data-cache"), false, Duration.ofSeconds(60)));
        String predictions = fixture.get("torch_test_predictions").asText();
        int[] labels = data.testLabels(0, TEST_IMAGES);
        int right = 0;
        for (int i = 0; i < TEST_IMAGES; i++) {
            right += predictions.charAt(i) - '0' == labels[i] ? 1 : 0;
        }
        double pytorch = right / (double) TEST_IMAGES;
        Map<String, Double> accuracy = new HashMap<>();
        for (Row r : cells) {
            assertEquals("OK", r.getString(r.fieldIndex("status")));
            // a near-tie may flip one image
            assertEquals(pytorch, r.getDouble(r.fieldIndex("float_accuracy")), 1.0 / TEST_IMAGES + 1e-12);
            CellSpec spec = CellSpec.fromJson(r.getString(r.fieldIndex("spec_json")));
            assertEquals("resnet20-onnx", spec.model());
            assertEquals(0, spec.modelSeed());
            assertEquals(Map.of("format", "onnx", "sha256", sha, "mean", List.of(0.286), "std", List.of(0.353)),
                    spec.modelSource());
            assertFalse(r.getString(r.fieldIndex("spec_json")).contains("resnet20.onnx"), "no path in the identity");
            Map<String, String> prov = r.getJavaMap(r.fieldIndex("provenance"));
            assertEquals(sha, prov.get("onnx_sha256"));
            assertEquals(file.toAbsolutePath().normalize().toString(), prov.get("onnx_path"));
            assertEquals(fixture.get("producer").asText(), prov.get("onnx_producer"));
            assertEquals("13", prov.get("onnx_opset"));
            List<Row> layers = r.getList(r.fieldIndex("layers"));
            assertEquals(22, layers.size(), "19 convs, 2 projection shortcuts and the classifier");
            assertEquals("int8", layers.get(0).getString(layers.get(0).fieldIndex("scheme")));
            assertEquals("ternary", layers.get(1).getString(layers.get(1).fieldIndex("scheme")));
            assertEquals("int8", layers.get(21).getString(layers.get(21).fieldIndex("scheme")));
            accuracy.put(r.getString(r.fieldIndex("method")) + "/" + r.getString(r.fieldIndex("operator")),
                    r.getDouble(r.fieldIndex("accuracy")));
        }
        // reconstruction on 64 images must recover what data-free quantization loses, for either operator
        for (String op : List.of("native", "tquant")) {
            assertTrue(accuracy.get("brecq/" + op) > accuracy.get("data-free/" + op), accuracy.toString());
            assertTrue(accuracy.get("adaround/" + op) > accuracy.get("data-free/" + op), accuracy.toString());
        }

        // the same content under another name and folder: every cell is already done
        Path moved = dir.resolve("elsewhere/renamed.onnx");
        Files.createDirectories(moved.getParent());
        Files.move(file, moved);
        RunReport second = run(dir.resolve("elsewhere/sweep.yaml"), sweep("renamed.onnx"));
        assertEquals(8, second.alreadyDone());
        assertEquals(0, second.executed());
    }
}
