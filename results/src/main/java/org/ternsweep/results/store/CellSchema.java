package org.ternsweep.results.store;

import java.util.List;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;

/**
 * The fixed Parquet schema of a cell row (docs/results-schema.md). Lists use the standard
 * three-level LIST layout and provenance the standard MAP layout, so Spark, pandas/pyarrow and
 * DuckDB read them as array&lt;struct&gt; and map&lt;string,string&gt;. Metrics are optional: a FAILED
 * row, or a metric that is not a number, is null rather than NaN.
 */
public final class CellSchema {
    private CellSchema() {
    }

    /** The top-level column names, in file order. */
    public static final List<String> COLUMNS = List.of("cell_id", "status", "error", "error_class", "model",
            "model_seed", "dataset", "seed", "operator", "operator_options", "granularity", "method",
            "method_options", "first_last", "accuracy", "cross_entropy", "float_accuracy", "quantize_seconds",
            "eval_seconds", "layers", "training_curve", "spec_json", "provenance", "finished_at");

    public static final MessageType SCHEMA = MessageTypeParser.parseMessageType("""
            message cell {
              required binary cell_id (STRING);
              required binary status (STRING);
              optional binary error (STRING);
              optional binary error_class (STRING);
              required binary model (STRING);
              required int64 model_seed;
              required binary dataset (STRING);
              required int64 seed;
              required binary operator (STRING);
              required binary operator_options (STRING);
              required binary granularity (STRING);
              required binary method (STRING);
              required binary method_options (STRING);
              required binary first_last (STRING);
              optional double accuracy;
              optional double cross_entropy;
              optional double float_accuracy;
              optional double quantize_seconds;
              optional double eval_seconds;
              optional group layers (LIST) {
                repeated group list {
                  optional group element {
                    required binary layer (STRING);
                    required binary scheme (STRING);
                    required int64 weights;
                    optional double lambda;
                    optional double threshold;
                    optional double frac_neg;
                    optional double frac_zero;
                    optional double frac_pos;
                    optional double rel_mse;
                    optional double sqnr_db;
                    optional double output_mean_shift;
                    optional double output_std_ratio;
                  }
                }
              }
              optional group training_curve (LIST) {
                repeated group list {
                  optional group element {
                    required int32 epoch;
                    optional double train_loss;
                    optional double test_accuracy;
                  }
                }
              }
              required binary spec_json (STRING);
              optional group provenance (MAP) {
                repeated group key_value {
                  required binary key (STRING);
                  optional binary value (STRING);
                }
              }
              required int64 finished_at (TIMESTAMP(MICROS,true));
            }
            """);
}
