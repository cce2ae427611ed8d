package org.ternsweep.results.store;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;

/**
 * Writes flat rows (ordered column → value maps, as {@link org.ternsweep.results.model.FlatRows} makes them)
 * as one Parquet file, without Spark. The schema comes from a sample row: String → string, Integer →
 * int32, Long → int64, Double → double, Boolean → boolean; every column is optional, and non-finite
 * doubles are written as null, as in the cell files, so no reader ever averages a NaN. The file is
 * written next to its destination under a {@code _} name and renamed into place; an older Spark-written
 * directory of the same name is replaced.
 */
public final class FlatParquet {
    private FlatParquet() {
    }

    /** The Parquet schema of rows shaped like {@code sample}, whose values must all be non-null. */
    public static MessageType schema(String name, Map<String, Object> sample) {
        Types.MessageTypeBuilder b = Types.buildMessage();
        sample.forEach((column, value) -> b.addField(field(column, value)));
        return b.named(name);
    }

    private static Type field(String column, Object value) {
        if (value instanceof String) {
            return Types.optional(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named(column);
        } else if (value instanceof Integer) {
            return Types.optional(PrimitiveTypeName.INT32).named(column);
        } else if (value instanceof Long) {
            return Types.optional(PrimitiveTypeName.INT64).named(column);
        } else if (value instanceof Double) {
            return Types.optional(PrimitiveTypeName.DOUBLE).named(column);
        } else if (value instanceof Boolean) {
            return Types.optional(PrimitiveTypeName.BOOLEAN).named(column);
        }
        throw new IllegalArgumentException("column " + column + " has a value of type "
                + (value == null ? "null" : value.getClass().getName())
                + "; a flat row holds String, Integer, Long, Double or Boolean (give the sample row a non-null value)");
    }

    /** Writes {@code rows} (each with exactly the schema's columns) to {@code file}, replacing it. */
    public static void write(MessageType schema, List<Map<String, Object>> rows, Path file, Configuration conf)
            throws IOException {
        FileSystem fs = file.getFileSystem(conf);
        Path tmp = new Path(file.getParent(), "_" + file.getName() + ".tmp");
        List<Group> groups = new ArrayList<>();
        SimpleGroupFactory factory = new SimpleGroupFactory(schema);
        for (Map<String, Object> row : rows) {
            groups.add(toGroup(factory.newGroup(), schema, row, file));
        }
        try (ParquetWriter<Group> w = ExampleParquetWriter.builder(HadoopOutputFile.fromPath(tmp, conf))
                .withType(schema)
                .withConf(conf)
                .withCompressionCodec(CompressionCodecName.SNAPPY)
                .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
                .build()) {
            for (Group g : groups) {
                w.write(g);
            }
        }
        if (fs.exists(file) && !fs.delete(file, true)) {
            throw new IOException("cannot replace " + file + "; check write permissions on " + file.getParent());
        }
        if (!fs.rename(tmp, file)) {
            throw new IOException("cannot rename " + tmp + " to " + file + "; check that " + file.getParent()
                    + " is writable");
        }
    }

    private static Group toGroup(Group g, MessageType schema, Map<String, Object> row, Path file) {
        if (!row.keySet().equals(new java.util.LinkedHashSet<>(schema.getFields().stream().map(Type::getName).toList()))) {
            throw new IllegalArgumentException("a row for " + file + " has columns " + row.keySet()
                    + " but the schema has " + schema.getFields().stream().map(Type::getName).toList());
        }
        row.forEach((column, value) -> {
            if (value instanceof String s) {
                g.append(column, s);
            } else if (value instanceof Integer i) {
                g.append(column, i);
            } else if (value instanceof Long l) {
                g.append(column, l);
            } else if (value instanceof Double d) {
                if (Double.isFinite(d)) {
                    g.append(column, d);
                }
            } else if (value instanceof Boolean bool) {
                g.append(column, bool);
            } else if (value != null) {
                throw new IllegalArgumentException("column " + column + " of " + file + " has a value of type "
                        + value.getClass().getName() + "; expected String, Integer, Long, Double or Boolean");
            }
        });
        return g;
    }
}
