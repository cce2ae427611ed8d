package org.ternsweep.driver.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.ternsweep.core.CellSpec;
import org.ternsweep.core.MissingDataException;
import org.ternsweep.core.Sha256;
import org.ternsweep.results.store.OutputLayout;

/**
 * The user-supplied files a stored cell needs, found again for recomputing it: the {@code onnx} files of the
 * {@code models:} entries and the {@code npz} file of the {@code dataset:} entry in the output directory's
 * resolved {@code sweep.yaml} (absolute paths or Hadoop URIs), plus any the user names with {@code --input}.
 * A cell names its files by content (SHA-256), so each file is hashed again and used only where its hash is the
 * one the cell names: a file edited since the run is never used in its place. (The run's own
 * {@link org.ternsweep.driver.sweep.InputFiles} then stages a URI's content into the cache for the runner.)
 */
final class StoredInputFiles {
    private StoredInputFiles() {
    }

    /**
     * SHA-256 → location of every file the sweep lists or {@code extra} names, checked to hold each one
     * {@code spec} needs.
     *
     * @throws MissingDataException naming the hash, the file sweep.yaml records and what is there now when a file
     *                              the cell needs is not found with its hash
     */
    static Map<String, String> forCell(OutputLayout layout, Configuration conf, CellSpec spec, List<String> extra)
            throws IOException {
        List<String> needed = new ArrayList<>();
        for (Map<String, Object> source : List.of(spec.modelSource(), spec.datasetSource())) {
            if (source.get("sha256") instanceof String sha) {
                needed.add(sha);
            }
        }
        if (needed.isEmpty()) {
            return Map.of();
        }
        // where sweep.yaml says each file was: location → the entry it belongs to, for the messages
        Map<String, String> listed = listed(layout, conf, spec);
        List<String> locations = new ArrayList<>(extra);
        locations.addAll(listed.keySet());
        Map<String, String> found = new TreeMap<>();
        Map<String, String> now = new LinkedHashMap<>();
        for (String location : locations) {
            String sha = hash(location, conf);
            now.put(location, sha == null ? "does not exist" : "has SHA-256 " + sha);
            if (sha != null) {
                found.putIfAbsent(sha, location);
            }
        }
        for (String sha : needed) {
            if (!found.containsKey(sha)) {
                StringBuilder b = new StringBuilder("cell " + spec.cellId() + " needs the file with SHA-256 " + sha
                        + " (" + (sha.equals(spec.modelSource().get("sha256")) ? "the ONNX network of model "
                        + spec.model() : "the arrays of dataset " + spec.dataset()) + "), and no file here has it:");
                if (now.isEmpty()) {
                    b.append(" " + layout.sweepYaml() + " names none");
                }
                now.forEach((location, state) -> b.append(" ").append(location).append(listed.containsKey(location)
                        ? " (" + listed.get(location) + " in sweep.yaml)" : " (--input)").append(" ").append(state)
                        .append(";"));
                b.append(" the file was moved or edited since the run: put the original back, or name it with"
                        + " --input FILE");
                throw new MissingDataException(b.toString());
            }
        }
        return found;
    }

    /** The locations of the cell's model and dataset files in sweep.yaml, each with the entry it belongs to. */
    private static Map<String, String> listed(OutputLayout layout, Configuration conf, CellSpec spec)
            throws IOException {
        FileSystem fs = layout.rootPath().getFileSystem(conf);
        JsonNode root;
        try (InputStream in = fs.open(layout.sweepYaml())) {
            root = new ObjectMapper(new YAMLFactory()).readTree(in);
        } catch (FileNotFoundException e) {
            throw new MissingDataException(layout.sweepYaml() + " is missing, so the files cell " + spec.cellId()
                    + " was computed from cannot be found; copy the whole output directory, sweep.yaml included, or"
                    + " name them with --input FILE");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (JsonNode m : root == null ? List.<JsonNode>of() : iterable(root.path("models"))) {
            if (m.isObject() && m.path("onnx").isTextual() && m.path("name").asText().equals(spec.model())) {
                out.put(m.get("onnx").asText(), "model " + spec.model());
            }
        }
        JsonNode d = root == null ? null : root.get("dataset");
        if (d != null && d.isObject() && d.path("npz").isTextual()) {
            out.put(d.get("npz").asText(), "dataset " + d.path("name").asText());
        }
        return out;
    }

    private static List<JsonNode> iterable(JsonNode array) {
        List<JsonNode> out = new ArrayList<>();
        array.forEach(out::add);
        return out;
    }

    /** The SHA-256 of a local path or Hadoop URI, or null when there is no such file. */
    private static String hash(String location, Configuration conf) throws IOException {
        Path p = new Path(location);
        FileSystem fs = p.getFileSystem(conf);
        MessageDigest d = Sha256.newDigest();
        try (InputStream in = fs.open(p)) {
            byte[] buf = new byte[1 << 16];
            for (int n = in.read(buf); n > 0; n = in.read(buf)) {
                d.update(buf, 0, n);
            }
        } catch (FileNotFoundException | NoSuchFileException e) {
            return null;
        }
        return Sha256.hex(d);
    }
}
