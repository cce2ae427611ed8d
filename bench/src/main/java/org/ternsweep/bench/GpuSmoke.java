package org.ternsweep.bench;

import java.nio.file.Path;
import java.time.Duration;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.ternsweep.data.Dataset;
import org.ternsweep.data.Datasets;
import org.ternsweep.data.ResolverConfig;
import org.ternsweep.engine.Engine;
import org.ternsweep.engine.Evaluator;
import org.ternsweep.models.ModelZoo;
import org.ternsweep.models.Nd4jArrays;

/**
 * The Java half of {@code scripts/gpu-smoke.sh}: prints which ND4J backend is active (the script
 * builds with {@code -Pcuda}), runs one ND4J matrix product on it, and times one float evaluation of
 * cnn-small on the 10 000 Fashion-MNIST test images. Exits non-zero when the backend is not CUDA.
 */
public final class GpuSmoke {
    private GpuSmoke() {
    }

    public static void main(String[] args) throws Exception {
        String backend = Nd4j.getBackend().getClass().getName();
        System.out.println("backend " + backend);
        System.out.println("environment " + Nd4j.getExecutioner().getEnvironmentInformation());
        INDArray a = Nd4j.rand(DataType.FLOAT, 1024, 1024);
        long t0 = System.nanoTime();
        double sum = a.mmul(a).sumNumber().doubleValue();
        System.out.printf("nd4j mmul1024 %.1f ms (checksum %.3e)%n", (System.nanoTime() - t0) / 1e6, sum);
        Dataset d = Datasets.load("fashion-mnist", new ResolverConfig(null, ResolverConfig.DEBIAN_ROOT,
                Path.of(System.getProperty("java.io.tmpdir"), "ternsweep-gpu-smoke"), false, Duration.ofSeconds(30)));
        Evaluator.Evaluation e;
        try (Engine engine = BenchEngines.create()) {
            e = Evaluator.evaluate(ModelZoo.build("cnn-small", 0).bind(engine),
                    Nd4jArrays.tensor(d.testImages(0, d.testSize())), d.testLabels(0, d.testSize()), 500);
        }
        System.out.printf("cnn-small evaluation %d images in %.2f s (%.0f images/s), untrained accuracy %.3f%n",
                e.count(), e.seconds(), e.count() / e.seconds(), e.accuracy());
        if (!backend.toLowerCase().contains("cuda") && !backend.toLowerCase().contains("jcublas")) {
            System.out.println("backend is not CUDA: build with -Pcuda");
            System.exit(5);
        }
    }
}
