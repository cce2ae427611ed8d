package org.ternsweep.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ternsweep.core.Sha256;

/**
 * CIFAR-10's binary reader and resolution on a small archive written here in exactly the official layout
 * ({@code cifar-10-batches-bin/data_batch_1..5.bin}, {@code test_batch.bin}, plus the metadata file the reader
 * skips), with 2 records per training batch and 3 test records.
 */
class CifarReaderTest {
    private static final int RECORD = 3073;

    @TempDir
    Path tmp;

    /** Record {@code i} of a batch: label {@code (i + batch) % 10}, pixel p of it = (p + 7i + batch) mod 256. */
    private static byte[] batch(int batch, int n) {
        byte[] b = new byte[n * RECORD];
        for (int i = 0; i < n; i++) {
            b[i * RECORD] = (byte) ((i + batch) % 10);
            for (int p = 0; p < RECORD - 1; p++) {
                b[i * RECORD + 1 + p] = (byte) (p + 7 * i + batch);
            }
        }
        return b;
    }

    private static Map<String, byte[]> official() {
        Map<String, byte[]> m = new LinkedHashMap<>();
        m.put("cifar-10-batches-bin/batches.meta.txt", "airplane\nautomobile\n".getBytes());
        for (int k = 1; k <= 5; k++) {
            m.put("cifar-10-batches-bin/data_batch_" + k + ".bin", batch(k, 2));
        }
        m.put("cifar-10-batches-bin/test_batch.bin", batch(0, 3));
        return m;
    }

    static byte[] tar(Map<String, byte[]> members, boolean gzip) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = gzip ? new GZIPOutputStream(bytes) : bytes;
             TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            TarArchiveEntry dir = new TarArchiveEntry("cifar-10-batches-bin/");
            tar.putArchiveEntry(dir);
            tar.closeArchiveEntry();
            for (Map.Entry<String, byte[]> e : members.entrySet()) {
                TarArchiveEntry t = new TarArchiveEntry(e.getKey());
                t.setSize(e.getValue().length);
                tar.putArchiveEntry(t);
                tar.write(e.getValue());
                tar.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }

    private static DatasetSpec small(String archiveSha256, List<URI> mirrors) {
        return new DatasetSpec("cifar10", DatasetSpec.Format.CIFAR_BINARY,
                List.of(new DatasetFile("cifar-10-binary.tar", archiveSha256, null)), 10, 3, 3, 32, 32, 10, mirrors,
                "test");
    }

    private Path write(String name, byte[] b) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("d-" + name));
        return Files.write(dir.resolve(name), b);
    }

    @Test
    void readsTheArchiveChannelMajorInBatchOrderAndHashesTheRecords() throws Exception {
        Path gz = write("cifar-10-binary.tar.gz", tar(official(), true));
        Dataset d = DatasetLoader.load(small(null, List.of()), gz.getParent());
        assertEquals(new InputShape(3, 32, 32, 10), d.shape());
        assertEquals(10, d.trainSize());
        assertEquals(3, d.testSize());
        // training example 3 is record 1 of data_batch_2: label (1 + 2) % 10, pixel p = (p + 7 + 2) mod 256
        assertEquals(3, d.trainLabels()[3]);
        int green = 1024 + 5 * 32 + 6;
        assertEquals(((green + 9) & 0xff) / 255f, d.trainImages()[3 * 3072 + green]);
        assertEquals(2, d.testLabels()[2]);
        assertEquals(((14 + 3071) & 0xff) / 255f, d.testImages()[2 * 3072 + 3071]);
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (String m : CifarReader.MEMBERS) {
            all.write(official().get("cifar-10-batches-bin/" + m));
        }
        assertEquals(Sha256.of(all.toByteArray()), d.sha256());

        // the same records in a plain tar: the same dataset
        Path plain = write("cifar-10-binary.tar", tar(official(), false));
        assertEquals(d.sha256(), DatasetLoader.load(small(null, List.of()), plain.getParent()).sha256());
    }

    @Test
    void eachDefectIsNamed() throws Exception {
        Map<String, byte[]> m = official();
        m.remove("cifar-10-batches-bin/data_batch_4.bin");
        expect(m, "member data_batch_4.bin is missing");
        m = official();
        m.put("cifar-10-batches-bin/test_batch.bin", new byte[RECORD + 5]);
        expect(m, "member test_batch.bin has 3078 bytes, not a whole number of 3073-byte records");
        m = official();
        byte[] bad = batch(1, 2);
        bad[RECORD] = 10;
        m.put("cifar-10-batches-bin/data_batch_1.bin", bad);
        expect(m, "member data_batch_1.bin, record 1 has label 10");
        m = official();
        m.put("cifar-10-batches-bin/test_batch.bin", batch(0, 4));
        expect(m, "holds 10 training and 4 test records but cifar10 has 10 and 3");
        m = official();
        m.put("other/data_batch_2.bin", batch(2, 2));
        expect(m, "member data_batch_2.bin appears twice");
        Path junk = write("cifar-10-binary.tar.gz", new byte[] {1, 2, 3});
        DatasetException e = assertThrows(DatasetException.class,
                () -> DatasetLoader.load(small(null, List.of()), junk.getParent()));
        assertTrue(e.getMessage().contains("not a readable tar.gz archive"), e.getMessage());
    }

    private void expect(Map<String, byte[]> members, String part) throws IOException {
        Path gz = write("cifar-10-binary.tar.gz", tar(members, true));
        DatasetException e = assertThrows(DatasetException.class,
                () -> DatasetLoader.load(small(null, List.of()), gz.getParent()));
        assertTrue(e.getMessage().startsWith(gz.toString()) && e.getMessage().contains(part), e.getMessage());
    }

    @Test
    void isResolvedFromTheDataDirectoryOrDownloadedIntoTheCacheWhenItsHashMatches() throws Exception {
        byte[] archive = tar(official(), true);
        String sha = Sha256.of(archive);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/kriz/", ex -> {
            boolean known = ex.getRequestURI().getPath().endsWith("/cifar-10-binary.tar.gz");
            ex.sendResponseHeaders(known ? 200 : 404, known ? archive.length : -1);
            if (known) {
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(archive);
                }
            }
            ex.close();
        });
        server.start();
        try {
            URI mirror = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/kriz/");
            Path cache = tmp.resolve("cache");
            ResolverConfig cfg = new ResolverConfig(null, tmp.resolve("no-system"), cache, true,
                    Duration.ofSeconds(5));
            DatasetResolver.Location got = DatasetResolver.resolve(small(sha, List.of(mirror)), cfg);
            assertEquals(DatasetResolver.Source.DOWNLOAD, got.source());
            assertTrue(Files.isRegularFile(got.dir().resolve("cifar-10-binary.tar.gz")));
            assertEquals(10, Datasets.load(got).trainSize());
            assertEquals(DatasetResolver.Source.CACHE, DatasetResolver.resolve(small(sha, List.of(mirror)), cfg)
                    .source());

            // a mirror serving other bytes: nothing is kept, and the error says why
            ResolverConfig fresh = new ResolverConfig(null, tmp.resolve("no-system"), tmp.resolve("cache2"), true,
                    Duration.ofSeconds(5));
            DatasetException e = assertThrows(DatasetException.class,
                    () -> DatasetResolver.resolve(small("0".repeat(64), List.of(mirror)), fresh));
            assertTrue(e.getMessage().contains("SHA-256 mismatch"), e.getMessage());

            Path explicit = write("cifar-10-binary.tar.gz", archive).getParent();
            ResolverConfig given = new ResolverConfig(explicit, tmp.resolve("no-system"), cache, false,
                    Duration.ofSeconds(5));
            assertEquals(DatasetResolver.Source.EXPLICIT, DatasetResolver.resolve(small(sha, List.of()), given)
                    .source());
        } finally {
            server.stop(0);
        }
    }

    @Test
    void theBuiltInSpecIsTheOfficialArchive() throws Exception {
        DatasetSpec c = DatasetSpec.forName("cifar10");
        assertEquals("cifar-10-binary.tar.gz", c.files().get(0).archiveName());
        assertEquals("c4a38c50a1bc5f3a1c5537f2155ab9d68f9f25eb1ed8d9ddda3db29a59bca1dd",
                c.files().get(0).archiveSha256());
        assertEquals(URI.create("https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz"),
                c.mirrors().get(0).resolve(c.files().get(0).archiveName()));
        assertEquals(new InputShape(3, 32, 32, 10), c.shape());
        assertEquals(50_000, c.trainCount());
        assertEquals(10_000, c.testCount());
    }
}
