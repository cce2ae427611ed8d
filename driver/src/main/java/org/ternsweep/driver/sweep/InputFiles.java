package org.ternsweep.driver.sweep;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.ternsweep.core.BadInputException;
import org.ternsweep.core.FileModes;
import org.ternsweep.core.Sha256;

/**
 * The user-supplied files a sweep names (imported networks): read by the driver from a local path or any Hadoop
 * URI, and handed to executors as local paths by content ({@link org.ternsweep.core.RunContext#inputFiles()}).
 */
public final class InputFiles {
    private InputFiles() {
    }

    /** The bytes at {@code location}: a local path, or a URI read through Hadoop's FileSystem. */
    public static byte[] read(String location) throws IOException {
        if (!isUri(location)) {
            return Files.readAllBytes(Path.of(location));
        }
        URI uri = URI.create(location);
        try (InputStream in = FileSystem.get(uri, new Configuration()).open(new org.apache.hadoop.fs.Path(uri))) {
            return in.readAllBytes();
        }
    }

    /**
     * Where executors read each file: a local file where it is, a URI's content staged (once, by its SHA-256) into
     * {@code <cacheDir>/inputs/}, which executors reach as they reach the model cache.
     *
     * @param files SHA-256 → location, as the sweep found them
     * @throws BadInputException if a file no longer has the content the sweep hashed
     */
    public static Map<String, String> forExecutors(Map<String, String> files, String cacheDir) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> f : files.entrySet()) {
            if (!isUri(f.getValue())) {
                out.put(f.getKey(), f.getValue());
                continue;
            }
            Path dir = Path.of(cacheDir, "inputs");
            Path staged = dir.resolve(f.getKey());
            if (!Files.isRegularFile(staged) || !Sha256.of(staged).equals(f.getKey())) {
                byte[] bytes = read(f.getValue());
                if (!Sha256.of(bytes).equals(f.getKey())) {
                    throw new BadInputException(f.getValue() + " changed after the sweep file was read (SHA-256 "
                            + Sha256.of(bytes) + ", was " + f.getKey() + "); run again");
                }
                FileModes.createPrivateDirectories(dir);
                Path tmp = Files.createTempFile(dir, f.getKey(), ".tmp");
                try (OutputStream o = Files.newOutputStream(tmp)) {
                    o.write(bytes);
                }
                FileModes.apply(tmp, FileModes.PRIVATE_FILE);
                Files.move(tmp, staged, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
            out.put(f.getKey(), staged.toString());
        }
        return out;
    }

    /** Whether {@code location} is a URI with a scheme (read through Hadoop) rather than a local path. */
    static boolean isUri(String location) {
        return location.matches("[A-Za-z][A-Za-z0-9+.-]*://.*");
    }
}
