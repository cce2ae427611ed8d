package org.ternsweep.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ternsweep.core.Sha256;

/**
 * The download step against a local HTTP server on 127.0.0.1 serving the real Fashion-MNIST files of
 * the Debian package (this machine has no internet). Those files are re-packed by Debian (see
 * {@link DatasetSpec}), so the "good" spec pins their archive SHA-256, computed here; the content
 * hashes stay the official ones.
 */
class DatasetDownloaderTest {
    @TempDir
    Path tmp;
    private HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger gone = new AtomicInteger();

    @BeforeEach
    void serve() throws IOException {
        assumeTrue(Files.isDirectory(TestIdx.FASHION), "Fashion-MNIST not installed (sudo apt-get install"
                + " dataset-fashion-mnist)");
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/fm/", ex -> {
            requests.incrementAndGet();
            String name = Path.of(ex.getRequestURI().getPath()).getFileName().toString();
            Path f = TestIdx.FASHION.resolve(name);
            if (!Files.isRegularFile(f)) {
                ex.sendResponseHeaders(404, -1);
                ex.close();
                return;
            }
            ex.sendResponseHeaders(200, Files.size(f));
            try (OutputStream out = ex.getResponseBody()) {
                Files.copy(f, out);
            }
        });
        server.createContext("/gone/", ex -> {
            gone.incrementAndGet();
            ex.sendResponseHeaders(404, -1);
            ex.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private URI base(String ctx) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/" + ctx + "/");
    }

    private static DatasetFile debianArchive(DatasetFile f) throws IOException {
        return new DatasetFile(f.baseName(), Sha256.of(TestIdx.FASHION.resolve(f.archiveName())), f.contentSha256());
    }

    private static DatasetSpec withArchives(DatasetFile a, DatasetFile b, DatasetFile c, DatasetFile d, List<URI> mirrors) {
        DatasetSpec fm = DatasetSpec.FASHION_MNIST;
        return new DatasetSpec(fm.name(), a, b, c, d, fm.trainCount(), fm.testCount(), fm.rows(), fm.cols(),
                fm.classes(), mirrors, fm.installHint());
    }

    private ResolverConfig online() {
        return new ResolverConfig(null, tmp.resolve("no-system"), tmp.resolve("cache"), true,
                Duration.ofSeconds(30));
    }

    @Test
    void goodHashDownloadsIntoTheCacheAfterAFailingMirror() throws Exception {
        DatasetSpec fm = DatasetSpec.FASHION_MNIST;
        DatasetSpec spec = withArchives(debianArchive(fm.trainImages()), debianArchive(fm.trainLabels()),
                debianArchive(fm.testImages()), debianArchive(fm.testLabels()), List.of(base("gone"), base("fm")));
        DatasetResolver.Location l = DatasetResolver.resolve(spec, online());
        assertEquals(DatasetResolver.Source.DOWNLOAD, l.source());
        assertEquals(tmp.resolve("cache/datasets/fashion-mnist"), l.dir());
        for (DatasetFile f : spec.files()) {
            assertEquals(f.archiveSha256(), Sha256.of(l.dir().resolve(f.archiveName())));
        }
        try (Stream<Path> s = Files.list(l.dir())) {
            assertEquals(4, s.count(), "no temporary files left behind");
        }
        assertEquals(4, gone.get(), "each file was tried on the first mirror, which answers 404");
        assertEquals(4, requests.get(), "then downloaded once from the second");

        requests.set(0);
        assertEquals(DatasetResolver.Source.CACHE, DatasetResolver.resolve(spec, online()).source());
        assertEquals(0, requests.get(), "a second resolution uses the cache");
    }

    @Test
    void badHashIsRejectedAndNothingIsKept() throws Exception {
        DatasetSpec fm = DatasetSpec.FASHION_MNIST;
        DatasetFile wrong = new DatasetFile(fm.trainLabels().baseName(), "b".repeat(64), fm.trainLabels().contentSha256());
        DatasetSpec spec = withArchives(debianArchive(fm.trainImages()), wrong, debianArchive(fm.testImages()),
                debianArchive(fm.testLabels()), List.of(base("fm")));
        DatasetException e = assertThrows(DatasetException.class, () -> DatasetResolver.resolve(spec, online()));
        String expectedActual = Sha256.of(TestIdx.FASHION.resolve("train-labels-idx1-ubyte.gz"));
        assertTrue(e.getMessage().contains(base("fm") + "train-labels-idx1-ubyte.gz: SHA-256 mismatch: expected "
                + "b".repeat(64) + ", got " + expectedActual), e.getMessage());
        Path dir = tmp.resolve("cache/datasets/fashion-mnist");
        assertFalse(Files.exists(dir.resolve("train-labels-idx1-ubyte.gz")));
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(3, s.count(), "the three good files are kept, the bad one and its temporary file are not");
        }
    }

    @Test
    void officialHashesRejectTheDebianRepack() throws Exception {
        DatasetSpec spec = DatasetSpec.FASHION_MNIST.withMirrors(List.of(base("fm")));
        DatasetException e = assertThrows(DatasetException.class, () -> DatasetResolver.resolve(spec, online()));
        assertTrue(e.getMessage().contains("SHA-256 mismatch: expected "
                + DatasetSpec.FASHION_MNIST.trainImages().archiveSha256()), e.getMessage());
    }
}
