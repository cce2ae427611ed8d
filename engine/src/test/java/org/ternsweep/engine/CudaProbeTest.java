package org.ternsweep.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ternsweep.core.BadInputException;

/**
 * The probe's search and its reading of nvidia-smi, and what {@link EngineSelection} makes of it. The GPU cases use
 * a stand-in nvidia-smi script and an empty {@code libcuda.so.1}: they test the parsing and the messages only (the
 * probe loads nothing); what a real GPU reports is checked by scripts/gpu-check.sh on a GPU machine.
 */
class CudaProbeTest {
    @TempDir
    Path dir;

    private Path smi(String body) throws IOException {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path f = bin.resolve("nvidia-smi");
        Files.writeString(f, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwxr-xr-x"));
        return bin;
    }

    private Path libcuda() throws IOException {
        Path lib = Files.createDirectories(dir.resolve("lib"));
        Files.createFile(lib.resolve(CudaProbe.LIBCUDA));
        return lib;
    }

    @Test
    void noDriverAndNoNvidiaSmiNamesWhatWasLookedForAndWhere() {
        Path empty = dir.resolve("none");
        CudaProbe p = CudaProbe.probe(Map.of("PATH", empty.toString(), "LD_LIBRARY_PATH", empty.toString(),
                "CUDA_HOME", "/opt/cuda-x"), List.of("/nonexistent/lib64"), List.of());
        assertFalse(p.hasGpu());
        assertNull(p.libcuda());
        assertEquals(List.of(empty.toString(), "/opt/cuda-x/lib64", "/opt/cuda-x/compat", "/nonexistent/lib64"),
                p.searched());
        assertEquals("libcuda.so.1 not found in " + empty + ":/opt/cuda-x/lib64:/opt/cuda-x/compat:/nonexistent/lib64;"
                + " no nvidia-smi on PATH", p.describeSearch());
        assertEquals(Map.of(), p.provenance(), "no GPU, no gpus entry");
    }

    @Test
    void readsTheGpusNvidiaSmiLists() throws IOException {
        Path bin = smi("printf '0, NVIDIA H200, 9.0, 580.159.03, 143771\\n1, NVIDIA A100-SXM4-80GB, 8.0, 580.159.03,"
                + " 81920\\n'");
        CudaProbe p = CudaProbe.probe(Map.of("PATH", bin.toString(), "LD_LIBRARY_PATH", libcuda().toString()),
                List.of(), List.of());
        assertTrue(p.hasGpu());
        assertEquals(dir.resolve("lib/libcuda.so.1").toString(), p.libcuda());
        assertEquals(new CudaProbe.Gpu(0, "NVIDIA H200", "9.0", "580.159.03", 143771), p.gpus().get(0));
        assertEquals("0: NVIDIA H200 (sm_90, driver 580.159.03, 143771 MiB); 1: NVIDIA A100-SXM4-80GB (sm_80, driver"
                + " 580.159.03, 81920 MiB)", p.provenance().get("gpus"));
    }

    @Test
    void aFailingNvidiaSmiIsReportedWithItsMessage() throws IOException {
        Path bin = smi("echo 'NVIDIA-SMI has failed because it could not communicate with the NVIDIA driver'; exit 9");
        CudaProbe p = CudaProbe.probe(Map.of("PATH", bin.toString()), List.of(), List.of());
        assertFalse(p.hasGpu());
        assertTrue(p.describeSearch().contains("exited with 9: NVIDIA-SMI has failed because it could not communicate"),
                p.describeSearch());
    }

    @Test
    void aLineWithoutTheFiveFieldsIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CudaProbe.Gpu.parse("NVIDIA H200, 9.0"));
        assertTrue(e.getMessage().contains("'NVIDIA H200, 9.0' does not have the 5 fields"), e.getMessage());
    }

    @Test
    void engineNamesAreCheckedAndAutoAndCpuRunOnTheCpu() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EngineSelection.check("gpu"));
        assertEquals("engine 'gpu' is unknown; allowed: auto, cpu, cuda", e.getMessage());
        assertEquals("cuda", EngineSelection.check(" CUDA "));
        CudaProbe none = CudaProbe.probe(Map.of(), List.of(), List.of());
        assertEquals("cpu", EngineSelection.resolve("auto", none, "host h").engine());
        assertEquals("cpu", EngineSelection.resolve("cpu", null, "host h").engine());
        assertEquals(new EngineSelection.Resolved("auto", "cpu"), EngineSelection.resolve("auto", "host h"));
    }

    @Test
    void cudaIsRefusedWithWhatWasFound() throws IOException {
        BadInputException none = assertThrows(BadInputException.class, () -> EngineSelection.resolve("cuda",
                CudaProbe.probe(Map.of("PATH", dir.toString()), List.of("/nonexistent"), List.of()), "host h"));
        assertEquals("engine 'cuda' cannot run: no usable NVIDIA GPU on host h: libcuda.so.1 not found in /nonexistent;"
                + " no nvidia-smi on PATH (and this build of ternsweep has no CUDA engine backend yet, docs/gpu.md);"
                + " use engine: cpu or auto (auto runs on the CPU here)", none.getMessage());

        CudaProbe gpu = CudaProbe.probe(Map.of("PATH", smi("echo '0, NVIDIA H200, 9.0, 580.159.03, 143771'").toString(),
                "LD_LIBRARY_PATH", libcuda().toString()), List.of(), List.of());
        BadInputException found = assertThrows(BadInputException.class,
                () -> EngineSelection.resolve("cuda", gpu, "host h"));
        assertTrue(found.getMessage().startsWith("engine 'cuda' cannot run: found 0: NVIDIA H200 (sm_90, driver"
                + " 580.159.03, 143771 MiB) on host h, but this build of ternsweep has no CUDA engine backend yet"),
                found.getMessage());
        assertEquals("cpu", EngineSelection.resolve("auto", gpu, "host h").engine(), "auto: no backend, so the CPU");
    }
}
