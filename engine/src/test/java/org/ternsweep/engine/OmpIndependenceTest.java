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

    /** A fingerprint of a training step of two convs (forward, backward, weight gradients). */
    static String fingerprint() {
        Engine engine = TestEngines.engine(DnnlConv.NAME, 2);
        SplittableRandom r = new SplittableRandom(7);
        Conv2d a = new Conv2d("a", 16, 16, 3, 1, 1, false, Activation.IDENTITY);
        Conv2d b = new Conv2d("b", 16, 32, 3, 2, 1, false, Activation.IDENTITY);
        a.bind(engine);
        b.bind(engine);
        GradientCheckTest.randomize(a, r, 0.3);
        GradientCheckTest.randomize(b, r, 0.3);
        Tensor x = GradientCheckTest.random(r, 1.0, 40, 16, 14, 14);
        Tensor y = b.forward(a.forward(x, true), true);
        Tensor dx = a.backward(b.backward(GradientCheckTest.random(r, 1.0, y.shape())));
        engine.close();
        return engine.conv().name() + " " + Arrays.hashCode(y.data()) + " " + Arrays.hashCode(dx.data()) + " "
                + Arrays.hashCode(a.weight().gradFloats()) + " " + Arrays.hashCode(b.weight().gradFloats());
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
