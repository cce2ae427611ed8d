package org.ternsweep.engine;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * What this machine offers a CUDA engine, found without loading any native code: the NVIDIA driver's
 * {@code libcuda.so.1} in the library directories, and the GPUs {@code nvidia-smi} lists with their compute
 * capability. Loading nothing keeps the probe safe on every executor (a JVM that dlopens a broken driver can die)
 * and independent of the JavaCPP version of the CUDA presets (docs/gpu.md). The result says what was looked for
 * and where, so that a refusal can name it.
 *
 * @param libcuda   the {@code libcuda.so.1} found, or null
 * @param nvidiaSmi the {@code nvidia-smi} found, or null
 * @param gpus      the GPUs nvidia-smi listed (empty without it, or when it failed)
 * @param searched  the directories searched for {@code libcuda.so.1}, in order
 * @param problem   why nvidia-smi gave no GPU list (null when it gave one)
 */
public record CudaProbe(String libcuda, String nvidiaSmi, List<Gpu> gpus, List<String> searched, String problem)
        implements Serializable {
    private static final long serialVersionUID = 1L;
    /** The driver library every CUDA program needs. */
    public static final String LIBCUDA = "libcuda.so.1";
    /** The nvidia-smi query whose CSV lines {@link Gpu#parse} reads. */
    public static final String QUERY = "--query-gpu=index,name,compute_cap,driver_version,memory.total";
    /** Directories the driver library is installed in by distributions, NVIDIA's installers and container toolkits. */
    static final List<String> SYSTEM_LIB_DIRS = List.of("/usr/local/nvidia/lib64", "/usr/lib/x86_64-linux-gnu",
            "/usr/lib64", "/lib/x86_64-linux-gnu", "/usr/lib/wsl/lib", "/usr/local/cuda/lib64",
            "/usr/local/cuda/compat");
    /** Where container toolkits put nvidia-smi when it is not on PATH. */
    static final List<String> SYSTEM_BIN_DIRS = List.of("/usr/local/nvidia/bin");

    private static volatile CudaProbe cached;

    public CudaProbe {
        gpus = List.copyOf(gpus);
        searched = List.copyOf(searched);
    }

    /**
     * One GPU as nvidia-smi lists it.
     *
     * @param computeCapability major.minor, e.g. {@code 9.0}
     * @param memoryMib         total memory in MiB, or -1 when not reported
     */
    public record Gpu(int index, String name, String computeCapability, String driver, long memoryMib)
            implements Serializable {
        private static final long serialVersionUID = 1L;

        /**
         * One line of {@code nvidia-smi --query-gpu=index,name,compute_cap,driver_version,memory.total
         * --format=csv,noheader,nounits}.
         *
         * @throws IllegalArgumentException when the line does not have the five fields
         */
        public static Gpu parse(String line) {
            String[] f = line.split(",");
            if (f.length != 5) {
                throw new IllegalArgumentException("nvidia-smi line '" + line + "' does not have the 5 fields of "
                        + QUERY);
            }
            long mem;
            try {
                mem = Long.parseLong(f[4].trim());
            } catch (NumberFormatException e) {
                mem = -1;
            }
            return new Gpu(Integer.parseInt(f[0].trim()), f[1].trim(), f[2].trim(), f[3].trim(), mem);
        }

        /** {@code NVIDIA H200 (sm_90, driver 580.159.03, 143771 MiB)}. */
        public String describe() {
            return name + " (sm_" + computeCapability.replace(".", "") + ", driver " + driver
                    + (memoryMib >= 0 ? ", " + memoryMib + " MiB" : "") + ")";
        }
    }

    /** This JVM's probe, made once: the hardware does not change while an executor runs. */
    public static CudaProbe cached() {
        CudaProbe p = cached;
        if (p == null) {
            p = probe(System.getenv());
            cached = p;
        }
        return p;
    }

    /** Probes with {@code env}'s {@code LD_LIBRARY_PATH}, {@code CUDA_HOME} and {@code PATH}. */
    public static CudaProbe probe(Map<String, String> env) {
        return probe(env, SYSTEM_LIB_DIRS, SYSTEM_BIN_DIRS);
    }

    /** Probes {@code env}'s directories, then {@code systemLibDirs} and {@code systemBinDirs}. */
    static CudaProbe probe(Map<String, String> env, List<String> systemLibDirs, List<String> systemBinDirs) {
        List<String> dirs = libraryDirs(env, systemLibDirs);
        String lib = null;
        for (String d : dirs) {
            if (Files.exists(Path.of(d, LIBCUDA))) {
                lib = Path.of(d, LIBCUDA).toString();
                break;
            }
        }
        String smi = nvidiaSmi(env, systemBinDirs);
        if (smi == null) {
            return new CudaProbe(lib, null, List.of(), dirs, "no nvidia-smi on PATH"
                    + (systemBinDirs.isEmpty() ? "" : " or in " + String.join(":", systemBinDirs)));
        }
        List<Gpu> gpus = new ArrayList<>();
        String problem;
        try {
            Process p = new ProcessBuilder(smi, QUERY, "--format=csv,noheader,nounits").redirectErrorStream(true)
                    .start();
            String out;
            try (InputStream in = p.getInputStream()) {
                out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                problem = smi + " did not answer within 30 s";
            } else if (p.exitValue() != 0) {
                problem = smi + " exited with " + p.exitValue() + ": " + out.strip();
            } else {
                for (String line : out.split("\n")) {
                    if (!line.isBlank()) {
                        gpus.add(Gpu.parse(line));
                    }
                }
                problem = gpus.isEmpty() ? smi + " lists no GPU" : null;
            }
        } catch (IOException | IllegalArgumentException e) {
            problem = smi + " failed: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            problem = smi + " was interrupted";
        }
        return new CudaProbe(lib, smi, gpus, dirs, problem);
    }

    /** Whether a driver and at least one GPU were found. */
    public boolean hasGpu() {
        return libcuda != null && !gpus.isEmpty();
    }

    /** The GPUs in one line, for provenance: {@code 0: NVIDIA H200 (sm_90, driver 580.159.03, 143771 MiB)}. */
    public String describeGpus() {
        List<String> out = new ArrayList<>();
        for (Gpu g : gpus) {
            out.add(g.index() + ": " + g.describe());
        }
        return String.join("; ", out);
    }

    /** What was looked for, where, and what was found: the text of a refusal. */
    public String describeSearch() {
        return LIBCUDA + (libcuda != null ? " found at " + libcuda : " not found in " + String.join(":", searched))
                + "; " + (nvidiaSmi == null ? problem
                : gpus.isEmpty() ? problem : nvidiaSmi + " lists " + gpus.size() + " GPU(s): " + describeGpus());
    }

    /** The probe's facts as provenance entries: {@code gpus} only when there are any. */
    public Map<String, String> provenance() {
        Map<String, String> p = new LinkedHashMap<>();
        if (!gpus.isEmpty()) {
            p.put("gpus", describeGpus());
        }
        return p;
    }

    private static List<String> libraryDirs(Map<String, String> env, List<String> systemLibDirs) {
        Set<String> dirs = new LinkedHashSet<>();
        String ld = env.get("LD_LIBRARY_PATH");
        if (ld != null) {
            for (String d : ld.split(":")) {
                if (!d.isBlank()) {
                    dirs.add(d);
                }
            }
        }
        String cudaHome = env.get("CUDA_HOME");
        if (cudaHome != null && !cudaHome.isBlank()) {
            dirs.add(Path.of(cudaHome, "lib64").toString());
            dirs.add(Path.of(cudaHome, "compat").toString());
        }
        dirs.addAll(systemLibDirs);
        return new ArrayList<>(dirs);
    }

    private static String nvidiaSmi(Map<String, String> env, List<String> systemBinDirs) {
        List<String> dirs = new ArrayList<>();
        String path = env.get("PATH");
        if (path != null) {
            dirs.addAll(List.of(path.split(":")));
        }
        dirs.addAll(systemBinDirs);
        for (String d : dirs) {
            Path p = Path.of(d.isBlank() ? "." : d, "nvidia-smi");
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        return null;
    }
}
