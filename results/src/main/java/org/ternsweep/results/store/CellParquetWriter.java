package org.ternsweep.results.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.ternsweep.core.CanonicalJson;
import org.ternsweep.core.CellResult;
import org.ternsweep.core.CellSpec;
import org.ternsweep.core.EpochStat;
import org.ternsweep.core.LayerDiagnostics;

/**
 * Writes one {@link CellResult} as a one-row Parquet file with {@link CellSchema#SCHEMA}, using
 * parquet-hadoop's Group API (no Avro, no Spark: this runs inside a task). Non-finite numbers are
 * written as null so that no NaN is ever averaged as a measurement.
 */
public final class CellParquetWriter {
    private CellParquetWriter() {
    }

    /** Writes {@code result} to {@code file}, replacing any file already there. */
    public static void write(CellResult result, Instant finishedAt, Path file, Configuration conf) throws IOException {
        Group row = toGroup(result, finishedAt);
        try (ParquetWriter<Group> w = ExampleParquetWriter.builder(HadoopOutputFile.fromPath(file, conf))
                .withType(CellSchema.SCHEMA)
                .withConf(conf)
                .withCompressionCodec(CompressionCodecName.SNAPPY)
                .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
                .build()) {
            w.write(row);
        }
    }

    static Group toGroup(CellResult r, Instant finishedAt) {
        CellSpec s = r.spec();
        Group g = new SimpleGroupFactory(CellSchema.SCHEMA).newGroup();
        g.append("cell_id", r.cellId());
        g.append("status", r.status().name());
        if (r.status() == CellResult.Status.FAILED) {
            g.append("error", r.errorMessage() == null ? "" : r.errorMessage());
            g.append("error_class", r.errorClass() == null ? "" : r.errorClass());
        }
        g.append("model", s.model());
        g.append("model_seed", s.modelSeed());
        g.append("dataset", s.dataset());
        g.append("seed", s.seed());
        g.append("operator", s.operator());
        g.append("operator_options", json(s.operatorOptions()));
        g.append("granularity", s.granularity());
        g.append("method", s.method());
        g.append("method_options", json(s.methodOptions()));
        g.append("first_last", s.firstLast());
        if (r.status() == CellResult.Status.OK) {
            optional(g, "accuracy", r.accuracy());
            optional(g, "cross_entropy", r.crossEntropy());
            optional(g, "float_accuracy", r.floatAccuracy());
            optional(g, "quantize_seconds", r.quantizeSeconds());
            optional(g, "eval_seconds", r.evalSeconds());
        }
        Group layers = g.addGroup("layers");
        for (LayerDiagnostics d : r.layers()) {
            Group e = layers.addGroup("list").addGroup("element");
            e.append("layer", d.layer()).append("scheme", d.scheme()).append("weights", d.weights());
            optional(e, "lambda", d.lambda());
            optional(e, "threshold", d.threshold());
            optional(e, "frac_neg", d.fracNeg());
            optional(e, "frac_zero", d.fracZero());
            optional(e, "frac_pos", d.fracPos());
            optional(e, "rel_mse", d.relMse());
            optional(e, "sqnr_db", d.sqnrDb());
            optional(e, "output_mean_shift", d.outputMeanShift());
            optional(e, "output_std_ratio", d.outputStdRatio());
        }
        Group curve = g.addGroup("training_curve");
        for (EpochStat st : r.trainingCurve()) {
            Group e = curve.addGroup("list").addGroup("element");
            e.append("epoch", st.epoch());
            optional(e, "train_loss", st.trainLoss());
            optional(e, "test_accuracy", st.testAccuracy());
        }
        g.append("spec_json", s.canonicalJson());
        Group prov = g.addGroup("provenance");
        new TreeMap<>(r.provenance()).forEach((k, v) -> {
            Group kv = prov.addGroup("key_value").append("key", k);
            if (v != null) {
                kv.append("value", v);
            }
        });
        g.append("finished_at", ChronoUnit.MICROS.between(Instant.EPOCH, finishedAt));
        return g;
    }

    private static void optional(Group g, String field, double v) {
        if (Double.isFinite(v)) {
            g.append(field, v);
        }
    }

    /**
     * Options as canonical JSON, as stored in the operator_options / method_options columns: {@code {}}
     * for a component without options, never the empty string (docs/results-schema.md).
     */
    public static String json(Map<String, Object> options) {
        try {
            return CanonicalJson.write(new TreeMap<>(options));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write options " + options + " as JSON", e);
        }
    }
}
