package org.ternsweep.data;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.ternsweep.core.FileModes;
import org.ternsweep.core.Sha256;

/**
 * Downloads a dataset's missing files from its mirrors into a directory, keeping a file only if its
 * SHA-256 matches the published archive hash. Each file is streamed to a temporary name in the
 * target directory, synced to disk and renamed atomically, so a crash, a concurrent download or a
 * bad mirror never leaves a partial or unverified file under the real name.
 */
public final class DatasetDownloader {
    private final HttpClient http;
    private final Duration timeout;

    public DatasetDownloader(HttpClient http, Duration timeout) {
        this.http = http;
        this.timeout = timeout;
    }

    /**
     * Fetches every file of {@code spec} not yet in {@code dir}.
     *
     * @return one line per failed attempt ("url: reason"); empty when all files are now present
     * @throws DatasetException if the directory cannot be created or the thread is interrupted
     */
    public List<String> fetchMissing(DatasetSpec spec, Path dir) throws DatasetException {
        try {
            FileModes.createPrivateDirectories(dir);
        } catch (IOException e) {
            throw new DatasetException(spec.name() + ": cannot create download directory " + dir + ": " + e, e);
        }
        List<String> failures = new ArrayList<>();
        for (DatasetFile f : spec.files()) {
            if (DatasetLoader.find(dir, f).isPresent()) {
                continue;
            }
            if (f.archiveSha256() == null) {
                failures.add(f.archiveName() + ": no published SHA-256 to verify a download against");
                continue;
            }
            if (spec.mirrors().isEmpty()) {
                failures.add(f.archiveName() + ": no download mirror is configured");
                continue;
            }
            List<String> tries = new ArrayList<>();
            boolean ok = false;
            for (URI mirror : spec.mirrors()) {
                URI url = mirror.resolve(f.archiveName());
                String reason = fetchOne(url, dir.resolve(f.archiveName()), f.archiveSha256());
                if (reason == null) {
                    ok = true;
                    break;
                }
                tries.add(url + ": " + reason);
            }
            if (!ok) {
                failures.addAll(tries);
            }
        }
        return failures;
    }

    /** Downloads one file; returns {@code null} on success or why it failed. */
    private String fetchOne(URI url, Path target, String expectedSha256) throws DatasetException {
        Path tmp = null;
        try {
            tmp = Files.createTempFile(target.getParent(), "." + target.getFileName() + ".", ".part");
            HttpRequest req = HttpRequest.newBuilder(url).timeout(timeout).GET().build();
            HttpResponse<InputStream> resp = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
            MessageDigest digest = Sha256.newDigest();
            try (InputStream body = resp.body()) {
                if (resp.statusCode() != 200) {
                    return "HTTP status " + resp.statusCode();
                }
                try (FileOutputStream fos = new FileOutputStream(tmp.toFile());
                     OutputStream out = new DigestOutputStream(fos, digest)) {
                    body.transferTo(out);
                    out.flush();
                    fos.getFD().sync();
                }
            }
            String actual = Sha256.hex(digest);
            if (!actual.equals(expectedSha256)) {
                return "SHA-256 mismatch: expected " + expectedSha256 + ", got " + actual + " (file discarded)";
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            tmp = null;
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DatasetException("interrupted while downloading " + url, e);
        } catch (IOException e) {
            return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        } finally {
            if (tmp != null) {
                deleteQuietly(tmp, url);
            }
        }
    }

    private static void deleteQuietly(Path tmp, URI url) throws DatasetException {
        try {
            Files.deleteIfExists(tmp);
        } catch (IOException e) {
            throw new DatasetException("cannot delete the partial download " + tmp + " of " + url + ": " + e, e);
        }
    }
}
