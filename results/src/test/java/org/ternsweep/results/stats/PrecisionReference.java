package org.ternsweep.results.stats;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;

/**
 * The committed output of precision_reference.py (test resources, same package): values computed by scipy
 * 1.10.1 and numpy 1.24.2, independently of the Java code, for the BCa, ε<sub>W2</sub>, effect-size and
 * variance-component tests. The script's docstring says how each value was obtained and how to regenerate.
 */
final class PrecisionReference {
    private static final String FILE = "precision_reference.json";

    private PrecisionReference() {
    }

    /** The cases of one section ("bca", "aso", "effect", "variance") or the object "resample_indices". */
    static JsonNode section(String name) {
        try (InputStream in = PrecisionReference.class.getResourceAsStream(FILE)) {
            if (in == null) {
                throw new IllegalStateException(FILE + " is missing from the test resources of "
                        + PrecisionReference.class.getPackageName() + "; regenerate it with precision_reference.py");
            }
            JsonNode node = new ObjectMapper().readTree(in).get(name);
            if (node == null) {
                throw new IllegalStateException(FILE + " has no section '" + name + "'");
            }
            return node;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + FILE, e);
        }
    }

    /** The cases of a section, one per element. */
    static List<JsonNode> cases(String name) {
        return StreamSupport.stream(section(name).spliterator(), false).toList();
    }

    static double[] doubles(JsonNode array) {
        double[] out = new double[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asDouble();
        }
        return out;
    }

    static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asInt();
        }
        return out;
    }

    static double[][] nested(JsonNode arrays) {
        List<double[]> out = new ArrayList<>();
        arrays.forEach(a -> out.add(doubles(a)));
        return out.toArray(double[][]::new);
    }
}
