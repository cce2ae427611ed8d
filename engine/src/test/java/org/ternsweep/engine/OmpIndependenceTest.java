package org.ternsweep.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * oneDNN's convolutions give bitwise the same results whatever {@code OMP_NUM_THREADS} says: the backend
 * pins OpenMP to one thread per call and at primitive creation, through the {@link OmpThreads} it was given
 * (oneDNN fixes a kernel's thread split when it creates it; pinning only around execution changed results,
 * docs/BENCHMARKS.md round 6). The variable is read once per process, so the other settings run in child
 * JVMs on this test's classpath.
 */
class OmpIndependenceTest {

    /**
     * A fingerprint of forward and backward (outputs, input and weight gradients) of resnet-8's conv
     * geometries: the one-channel stem and a block at 28×28, a strided conv with its 1×1 shortcut, and a
     * deeper strided conv; three chunks of images each, on two engine threads.
     */
    static String fingerprint() {
        Engine engine = TestEngines.engine(DnnlConv.NAME, 2);
        SplittableRandom r = new SplittableRandom(7);
        int[][] geometries = {{1, 16, 3, 1, 1, 28}, {16, 16, 3, 1, 1, 28}, {16, 32, 3, 2, 1, 28}, {16, 32, 1, 2, 0, 28},
            {32, 64, 3, 2, 1, 14}};
        StringBuilder f = new StringBuilder(engine.conv().name());
        for (int[] g : geometries) {
            Conv2d c = new Conv2d("c", g[0], g[1], g[2], g[3], g[4], false, Activation.IDENTITY);
            c.bind(engine);
            GradientCheckTest.randomize(c, r, 0.3);
            Tensor x = GradientCheckTest.random(r, 1.0, 24, g[0], g[5], g[5]);
            Tensor y = c.forward(x, true);
            Tensor dx = c.backward(GradientCheckTest.random(r, 1.0, y.shape()));
            f.append(' ').append(Arrays.hashCode(y.data())).append('/').append(Arrays.hashCode(dx.data()))
                    .append('/').append(Arrays.hashCode(c.weight().gradFloats()));
        }
        engine.close();
        return f.toString();
    }

    /** Child JVM entry point: prints the fingerprint. */
    public static void main(String[] args) {
        System.out.println("fingerprint " + fingerprint());
    }

    @Test
    void convolutionResultsDoNotDependOnOmpNumThreads() throws IOException, InterruptedException {
        String here = fingerprint();
        assertTrue(here.startsWith("dnnl "), "expected the oneDNN backend here: " + here);
        for (String omp : new String[] {"1", "4", null}) {
            assertEquals(here, child(omp), "OMP_NUM_THREADS=" + omp + " changed the convolution results");
        }
    }

    private static String child(String omp) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx1g");
        for (String p : new String[] {"org.bytedeco.javacpp.cachedir", "org.bytedeco.javacpp.maxbytes",
                "org.bytedeco.javacpp.maxphysicalbytes"}) {
            if (System.getProperty(p) != null) {
                cmd.add("-D" + p + "=" + System.getProperty(p));
            }
        }
        // Surefire's classpath is a manifest-only jar whose Class-Path java -cp follows
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), OmpIndependenceTest.class.getName()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        if (omp == null) {
            pb.environment().remove("OMP_NUM_THREADS");
        } else {
            pb.environment().put("OMP_NUM_THREADS", omp);
        }
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "child JVM did not finish: " + out);
        assertEquals(0, p.exitValue(), "child JVM failed: " + out);
        return out.lines().filter(l -> l.startsWith("fingerprint ")).map(l -> l.substring(12)).findFirst()
                .orElseThrow(() -> new AssertionError("no fingerprint in the child's output: " + out));
    }
}
