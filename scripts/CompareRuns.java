import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;

/**
 * Compares the cell rows of two output directories, column by column, leaving out what legitimately
 * differs between two runs of the same cells: wall times, provenance and the row's write time. Used to
 * check that a change which must not alter results (a refactoring, a faster kernel) leaves every
 * accuracy, loss, diagnostic and curve bitwise the same:
 *
 *   java -cp "$(cat driver/target/ternsweep.classpath)" scripts/CompareRuns.java runs/before runs/after
 *
 * Exit 0 when both hold the same cells with equal rows, 1 otherwise (the differences are printed).
 */
public final class CompareRuns {
    private static final Set<String> IGNORED = Set.of("quantize_seconds", "eval_seconds", "provenance", "finished_at");

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: CompareRuns.java OUT_DIR_A OUT_DIR_B");
            System.exit(2);
        }
        Map<String, String> a = rows(args[0]);
        Map<String, String> b = rows(args[1]);
        int same = 0;
        int differ = 0;
        for (String id : a.keySet()) {
            if (!b.containsKey(id)) {
                System.out.println("only in " + args[0] + ": " + id);
                differ++;
            } else if (a.get(id).equals(b.get(id))) {
                same++;
            } else {
                differ++;
                System.out.println("differs: " + id + "\n  A: " + a.get(id) + "\n  B: " + b.get(id));
            }
        }
        for (String id : b.keySet()) {
            if (!a.containsKey(id)) {
                System.out.println("only in " + args[1] + ": " + id);
                differ++;
            }
        }
        if (System.getenv("SHOW_ROW") != null && !a.isEmpty()) {
            System.out.println(a.values().iterator().next());
        }
        System.out.printf("%d cells equal (every column but %s), %d differ%n", same, IGNORED, differ);
        System.exit(differ == 0 ? 0 : 1);
    }

    private static Map<String, String> rows(String dir) throws IOException {
        Configuration conf = new Configuration();
        Path cells = new Path(new java.io.File(dir, "cells").getAbsoluteFile().toURI());
        FileSystem fs = cells.getFileSystem(conf);
        Map<String, String> out = new TreeMap<>();
        for (FileStatus f : fs.listStatus(cells, p -> p.getName().endsWith(".parquet") && !p.getName().startsWith("_"))) {
            try (ParquetReader<Group> r = ParquetReader.builder(new GroupReadSupport(), f.getPath()).withConf(conf).build()) {
                for (Group g = r.read(); g != null; g = r.read()) {
                    StringBuilder s = new StringBuilder();
                    for (int i = 0; i < g.getType().getFieldCount(); i++) {
                        String name = g.getType().getFieldName(i);
                        if (IGNORED.contains(name)) {
                            continue;
                        }
                        s.append(name).append('=');
                        for (int j = 0; j < g.getFieldRepetitionCount(i); j++) {
                            s.append(g.getType().getType(i).isPrimitive() ? g.getValueToString(i, j)
                                    : g.getGroup(i, j).toString().replace('\n', ' ')).append(j > 0 ? ";" : "");
                        }
                        s.append(" | ");
                    }
                    if (out.put(g.getString("cell_id", 0), s.toString()) != null) {
                        throw new IllegalStateException(dir + " holds cell " + g.getString("cell_id", 0) + " twice");
                    }
                }
            }
        }
        return out;
    }
}
