package org.ternsweep.driver.summary;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.stddev_samp;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.commons.math3.distribution.TDistribution;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Aggregates cell rows into {@link SummaryRow}s with Spark SQL (so it scales with the number of
 * cells) and writes {@code summary.parquet}. Groups are model × method(+options) × granularity ×
 * operator(+options), plus dataset, first_last and model_seed (constant within one sweep, kept so
 * that merged outputs never mix them). The 95 % CI half-width is t(0.975, n−1)·s/√n with the Student t
 * quantile from Commons Math.
 */
public final class SummaryBuilder {
    /** The columns of summary.parquet, in order. */
    public static final StructType SCHEMA = new StructType(new StructField[]{
            field("model", DataTypes.StringType, false),
            field("dataset", DataTypes.StringType, false),
            field("first_last", DataTypes.StringType, false),
            field("model_seed", DataTypes.LongType, false),
            field("method", DataTypes.StringType, false),
            field("method_options", DataTypes.StringType, false),
            field("granularity", DataTypes.StringType, false),
            field("operator", DataTypes.StringType, false),
            field("operator_options", DataTypes.StringType, false),
            field("n", DataTypes.LongType, false),
            field("n_failed", DataTypes.LongType, false),
            field("accuracy_mean", DataTypes.DoubleType, true),
            field("accuracy_std", DataTypes.DoubleType, true),
            field("accuracy_ci95", DataTypes.DoubleType, true),
            field("accuracy_min", DataTypes.DoubleType, true),
            field("accuracy_max", DataTypes.DoubleType, true),
            field("float_accuracy_mean", DataTypes.DoubleType, true),
            field("quantize_seconds_mean", DataTypes.DoubleType, true),
            field("eval_seconds_mean", DataTypes.DoubleType, true)});

    /** The cell columns {@link #summarize} reads (plus what the driver lists for FAILED cells). */
    public static final List<String> INPUT_COLUMNS = List.of("cell_id", "status", "error", "error_class", "model",
            "dataset", "first_last", "model_seed", "method", "method_options", "granularity", "operator",
            "operator_options", "seed", "accuracy", "float_accuracy", "quantize_seconds", "eval_seconds");

    private static final String[] KEY = {"model", "dataset", "first_last", "model_seed", "method", "method_options",
            "granularity", "operator", "operator_options"};

    private SummaryBuilder() {
    }

    private static StructField field(String name, org.apache.spark.sql.types.DataType t, boolean nullable) {
        return DataTypes.createStructField(name, t, nullable);
    }

    /**
     * Summarises the given cell rows (only those whose cell_id is in {@code cellIds}, when not null:
     * the cells of the current grid), sorted by model, method, options, granularity, operator.
     */
    public static List<SummaryRow> summarize(Dataset<Row> cells, Collection<String> cellIds) {
        Dataset<Row> in = cellIds == null ? cells : cells.filter(col("cell_id").isin(cellIds.toArray()));
        Dataset<Row> ok = in.withColumn("acc_ok", when(col("status").equalTo("OK"), col("accuracy")));
        List<Row> groups = ok.groupBy(KEY[0], java.util.Arrays.copyOfRange(KEY, 1, KEY.length))
                .agg(count(col("acc_ok")).as("n"),
                        sum(when(col("status").equalTo("FAILED"), lit(1L)).otherwise(lit(0L))).as("n_failed"),
                        avg("acc_ok").as("accuracy_mean"),
                        stddev_samp("acc_ok").as("accuracy_std"),
                        min("acc_ok").as("accuracy_min"),
                        max("acc_ok").as("accuracy_max"),
                        avg("float_accuracy").as("float_accuracy_mean"),
                        avg("quantize_seconds").as("quantize_seconds_mean"),
                        avg("eval_seconds").as("eval_seconds_mean"))
                .orderBy("model", "method", "method_options", "granularity", "operator", "operator_options")
                .collectAsList();
        List<SummaryRow> out = new ArrayList<>();
        for (Row r : groups) {
            long n = r.getLong(r.fieldIndex("n"));
            Double std = n >= 2 ? dbl(r, "accuracy_std") : null;
            out.add(new SummaryRow(r.getString(0), r.getString(1), r.getString(2), r.getLong(3), r.getString(4),
                    r.getString(5), r.getString(6), r.getString(7), r.getString(8), n,
                    r.getLong(r.fieldIndex("n_failed")), dbl(r, "accuracy_mean"), std, ci95(std, n),
                    dbl(r, "accuracy_min"), dbl(r, "accuracy_max"), dbl(r, "float_accuracy_mean"),
                    dbl(r, "quantize_seconds_mean"), dbl(r, "eval_seconds_mean")));
        }
        return out;
    }

    /** Half-width of the 95 % Student-t interval of a mean, or null when n &lt; 2 or std is unknown. */
    public static Double ci95(Double std, long n) {
        if (std == null || n < 2 || std.isNaN()) {
            return null;
        }
        double t = new TDistribution(null, n - 1.0).inverseCumulativeProbability(0.975);
        return t * std / Math.sqrt(n);
    }

    /** Writes the rows as {@code path} (a Spark Parquet directory with one part file). */
    public static void write(SparkSession spark, List<SummaryRow> rows, String path) {
        List<Row> data = new ArrayList<>();
        for (SummaryRow s : rows) {
            data.add(RowFactory.create(s.model(), s.dataset(), s.firstLast(), s.modelSeed(), s.method(),
                    s.methodOptions(), s.granularity(), s.operator(), s.operatorOptions(), s.n(), s.nFailed(),
                    s.accuracyMean(), s.accuracyStd(), s.accuracyCi95(), s.accuracyMin(), s.accuracyMax(),
                    s.floatAccuracyMean(), s.quantizeSecondsMean(), s.evalSecondsMean()));
        }
        spark.createDataFrame(data, SCHEMA).coalesce(1).write().mode(SaveMode.Overwrite).parquet(path);
    }

    private static Double dbl(Row r, String name) {
        int i = r.fieldIndex(name);
        if (r.isNullAt(i)) {
            return null;
        }
        double v = r.getDouble(i);
        return Double.isNaN(v) ? null : v;
    }
}
