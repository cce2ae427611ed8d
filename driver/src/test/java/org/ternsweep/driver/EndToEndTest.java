package org.ternsweep.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.math3.stat.descriptive.DescriptiveStatistics;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ternsweep.driver.spark.RunOptions;
import org.ternsweep.driver.spark.RunReport;
import org.ternsweep.driver.spark.SparkSessions;
import org.ternsweep.driver.spark.SweepRunner;
import org.ternsweep.driver.sweep.Sweep;
import org.ternsweep.driver.sweep.SweepParser;
import org.ternsweep.runner.CellRunner;

/**
 * The whole product on real parts: a small sweep through local Spark with the real {@link CellRunner}
 * on real Fashion-MNIST (a short float training on a subset, evaluation on the first 1 000 test
 * images), real Parquet read back with Spark SQL, and resume. The cells must have done what they are
 * for: one trained float model behind every cell, quantized networks far above chance, the fitted
 * ternary operators ahead of the native one, reconstruction (AdaRound, BrecQ) ahead of data-free
 * quantization; the summary is checked against the cells, and each row states the runner's and the
 * task's times apart.
 */
class EndToEndTest {
    static final Path FASHION = Path.of("/usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz");
    static SparkSession spark;

    static final String SWEEP = """
            name: e2e
            models: [cnn-small]
            seeds: [0, 1]
            operators: [native, tquant, mquant]
            granularities: [per-tensor, per-channel]
            methods:
              - data-free
              - adaround: {iterations: 40, calibration: 64, batch: 16}
              - brecq: {iterations: 40, calibration: 64, batch: 16}
            recipe: {epochs: 1, train_subset: 4000}
            evaluation: {test_subset: 1000}
            """;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        Assumptions.assumeTrue(Files.exists(FASHION),
                "Fashion-MNIST is not installed: apt-get install -y dataset-fashion-mnist (.ci/run does this)");
        spark = SparkSessions.create("local[2]", 1, "ternsweep-e2e", false);
    }

    @AfterAll
    static void stop() {
        if (spark != null) {
            spark.stop();
        }
    }

    private static double mean(Map<String, DescriptiveStatistics> byGroup, String operator, String method,
                               String granularity) {
        return byGroup.get(operator + "|" + method + "|" + granularity).getMean();
    }

    private RunReport run(Sweep s) throws IOException {
        RunOptions o = new RunOptions(dir.resolve("out").toString(), dir.resolve("cache").toString(), null, 1, false,
                CellRunner.class.getName(), false);
        return new SweepRunner(spark, new PrintWriter(Writer.nullWriter()), false).run(s, o);
    }

    @Test
    void smallSweepRunsEndToEndAndResumes() throws IOException {
        Sweep s = SweepParser.parse("e2e.yaml", SWEEP, List.of());
        RunReport first = run(s);
        assertEquals(36, first.totalCells());
        assertEquals(36, first.executed());
        assertTrue(first.failed().isEmpty(), () -> "failed cells: " + first.failed());

        List<Row> cells = spark.read().parquet(dir.resolve("out/cells").toString()).collectAsList();
        assertEquals(36, cells.size());
        Map<String, DescriptiveStatistics> byGroup = new HashMap<>();
        double floatAcc = cells.get(0).getDouble(cells.get(0).fieldIndex("float_accuracy"));
        assertTrue(floatAcc > 0.6, "a float cnn-small trained on 4 000 images for one epoch: " + floatAcc);
        for (Row r : cells) {
            assertEquals("OK", r.getString(r.fieldIndex("status")));
            double acc = r.getDouble(r.fieldIndex("accuracy"));
            assertEquals(floatAcc, r.getDouble(r.fieldIndex("float_accuracy")), 0,
                    "one float model (same model seed and recipe) behind every cell");
            assertTrue(acc > 0.4 && acc <= 1, "a quantized network far above chance (10 %): " + acc);
            assertTrue(r.getDouble(r.fieldIndex("quantize_seconds")) > 0);
            List<Row> layers = r.getList(r.fieldIndex("layers"));
            assertEquals(List.of("conv1", "conv2", "fc1", "fc2"),
                    layers.stream().map(l -> l.getString(l.fieldIndex("layer"))).toList());
            // first_last defaults to int8: the ternary layers are the middle two
            assertEquals("int8", layers.get(0).getString(layers.get(0).fieldIndex("scheme")));
            Row conv2 = layers.get(1);
            assertEquals("ternary", conv2.getString(conv2.fieldIndex("scheme")));
            String operator = r.getString(r.fieldIndex("operator"));
            String method = r.getString(r.fieldIndex("method"));
            if (operator.equals("mquant") && method.equals("data-free")) {
                double zero = conv2.getDouble(conv2.fieldIndex("frac_zero"));
                assertEquals(1.0 / 3, zero, 0.01, "mquant puts a third of the weights in the zero bin");
            }
            String key = operator + "|" + method + "|" + r.getString(r.fieldIndex("granularity"));
            byGroup.computeIfAbsent(key, k -> new DescriptiveStatistics()).addValue(acc);
            Map<String, String> prov = r.getJavaMap(r.fieldIndex("provenance"));
            Instant taskStart = Instant.parse(prov.get("task_started_at"));
            Instant cellStart = Instant.parse(prov.get("cell_started_at"));
            Instant cellEnd = Instant.parse(prov.get("cell_finished_at"));
            Instant taskEnd = Instant.parse(prov.get("task_finished_at"));
            assertTrue(!taskStart.isAfter(cellStart) && cellStart.isBefore(cellEnd) && !cellEnd.isAfter(taskEnd),
                    "the runner's cell times lie within the task's: " + prov);
        }
        // What the operators and methods are for, at margins of a few points (the float model is small and
        // briefly trained, so every gap is narrower than on the full recipe): data-free, fitting the ternary
        // levels (tquant, mquant) keeps more accuracy than the native operator; and for the native operator,
        // AdaRound's and BrecQ's reconstruction recovers part of what data-free quantization loses.
        for (String granularity : List.of("per-tensor", "per-channel")) {
            double nativeDataFree = mean(byGroup, "native", "data-free", granularity);
            for (String fitted : List.of("tquant", "mquant")) {
                double m = mean(byGroup, fitted, "data-free", granularity);
                assertTrue(m > nativeDataFree + 0.02, fitted + " vs native, data-free " + granularity + ": " + m
                        + " vs " + nativeDataFree);
            }
        }
        for (String method : List.of("adaround", "brecq")) {
            double reconstructed = (mean(byGroup, "native", method, "per-tensor")
                    + mean(byGroup, "native", method, "per-channel")) / 2;
            double dataFree = (mean(byGroup, "native", "data-free", "per-tensor")
                    + mean(byGroup, "native", "data-free", "per-channel")) / 2;
            assertTrue(reconstructed > dataFree + 0.02, "native " + method + " vs data-free, mean over granularities: "
                    + reconstructed + " vs " + dataFree);
        }
        // data-free is deterministic: both seeds give the same accuracy (spec §4.1)
        for (Map.Entry<String, DescriptiveStatistics> e : byGroup.entrySet()) {
            if (e.getKey().contains("|data-free|")) {
                assertEquals(0, e.getValue().getStandardDeviation(), 1e-12, e.getKey());
            }
        }
        List<Row> summary = spark.read().parquet(dir.resolve("out/summary.parquet").toString()).collectAsList();
        assertEquals(byGroup.size(), summary.size());
        for (Row r : summary) {
            String key = r.getString(r.fieldIndex("operator")) + "|" + r.getString(r.fieldIndex("method")) + "|"
                    + r.getString(r.fieldIndex("granularity"));
            DescriptiveStatistics d = byGroup.get(key);
            assertEquals(d.getMean(), r.getDouble(r.fieldIndex("accuracy_mean")), 1e-12, key);
            assertEquals(d.getN(), ((Number) r.get(r.fieldIndex("n"))).longValue(), key);
        }

        RunReport again = run(s);
        assertEquals(0, again.executed(), "resume: nothing left to run");
        assertEquals(36, again.alreadyDone());
        RunReport more = run(SweepParser.parse("e2e.yaml", SWEEP.replace("[0, 1]", "[0, 1, 2]"), List.of()));
        assertEquals(18, more.executed(), "one more seed runs exactly the new cells");
    }
}
