package org.ternsweep.driver.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * scripts/gpu-discovery.sh's output, Spark's resource JSON. A stand-in nvidia-smi on PATH tests the script's
 * parsing only; whether a real nvidia-smi answers the same query is for a GPU machine (docs/gpu.md).
 */
class GpuDiscoveryScriptTest {
    @TempDir
    Path dir;
    Path script;

    @BeforeEach
    void find() {
        script = LocalCluster.repoRoot().resolve("scripts/gpu-discovery.sh");
        assumeTrue(Files.isRegularFile(script), "scripts/gpu-discovery.sh not found");
        assumeTrue(new File("/bin/bash").canExecute(), "bash is needed");
    }

    private record Run(int rc, String out, String err) {
    }

    private Run run(String nvidiaSmiBody) throws IOException, InterruptedException {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        if (nvidiaSmiBody != null) {
            Path f = bin.resolve("nvidia-smi");
            Files.writeString(f, "#!/bin/sh\n" + nvidiaSmiBody + "\n");
            Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        ProcessBuilder pb = new ProcessBuilder("/bin/bash", script.toString());
        pb.environment().put("PATH", bin.toString()); // only the stand-in, so a real nvidia-smi cannot answer
        pb.redirectError(dir.resolve("err").toFile());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int rc = p.waitFor();
        return new Run(rc, out.strip(), Files.readString(dir.resolve("err")));
    }

    @Test
    void listsTheIndicesNvidiaSmiPrints() throws Exception {
        Run r = run("[ \"$1\" = --query-gpu=index ] && printf '0\\n1\\n3\\n'");
        assertEquals(0, r.rc(), r.err());
        assertEquals("{\"name\":\"gpu\",\"addresses\":[\"0\",\"1\",\"3\"]}", r.out());
    }

    @Test
    void withoutNvidiaSmiOffersNoGpus() throws Exception {
        Run r = run(null);
        assertEquals(0, r.rc());
        assertEquals("{\"name\":\"gpu\",\"addresses\":[]}", r.out());
        assertTrue(r.err().contains("no nvidia-smi on PATH"), r.err());
    }

    @Test
    void aFailingOrUnexpectedNvidiaSmiFails() throws Exception {
        Run failing = run("echo 'NVIDIA-SMI has failed'; exit 6");
        assertEquals(1, failing.rc());
        assertTrue(failing.err().contains("nvidia-smi failed: NVIDIA-SMI has failed"), failing.err());
        Run odd = run("echo 'No devices were found'");
        assertEquals(1, odd.rc());
        assertTrue(odd.err().contains("unexpected nvidia-smi line 'No devices were found'"), odd.err());
    }
}
