package org.ternsweep.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EngineTest {

    @ParameterizedTest
    @ValueSource(strings = {DnnlConv.NAME, GemmConv.NAME})
    void resultsAreBitwiseTheSameForEveryThreadCount(String backend) {
        // at one OpenBLAS thread: OpenBLAS's own multi-threaded split may round differently
        Engine.pinOpenBlasToOneThread();
        float[][] outputs = new float[3][];
        float[][] grads = new float[3][];
        int[] settings = {1, 3, Runtime.getRuntime().availableProcessors()};
        for (int s = 0; s < settings.length; s++) {
            try (Engine engine = TestEngines.engine(backend, settings[s])) {
                assertEquals(settings[s], engine.threads());
                SplittableRandom r = new SplittableRandom(11);
                Conv2d conv = new Conv2d("c", 3, 8, 3, 1, 1, true, Activation.RELU);
                GradientCheckTest.randomize(conv, r, 0.5);
                BatchNorm2d bn = new BatchNorm2d("bn", 8);
                conv.bind(engine);
                bn.bind(engine);
                Tensor x = GradientCheckTest.random(r, 1.0, 16, 3, 12, 12);
                Tensor y = bn.forward(conv.forward(x, true), true);
                conv.backward(bn.backward(GradientCheckTest.random(r, 1.0, 16, 8, 12, 12)));
                outputs[s] = y.data();
                grads[s] = conv.weight().gradFloats().clone();
            }
        }
        assertArrayEquals(outputs[0], outputs[1]);
        assertArrayEquals(outputs[0], outputs[2]);
        assertArrayEquals(grads[0], grads[1]);
        assertArrayEquals(grads[0], grads[2]);
    }

    @ParameterizedTest
    @ValueSource(strings = {DnnlConv.NAME, GemmConv.NAME})
    void convSplitAcrossThreadsIsBitwiseTheSameForEveryThreadCount(String backend) {
        // OpenBLAS may round differently with several threads of its own (it splits a product its own way),
        // so the comparison is at one OpenBLAS thread, as the runner sets it
        Engine.pinOpenBlasToOneThread();
        int[] settings = {1, 2, 3};
        float[][][] results = new float[settings.length][][];
        for (int s = 0; s < settings.length; s++) {
            try (Engine engine = TestEngines.engine(backend, settings[s])) {
                SplittableRandom r = new SplittableRandom(5);
                // 16·25 columns × 64 positions per image: three chunks of at most 81 images, so two and
                // three threads each run their own chunks (the last one short)
                Conv2d conv = new Conv2d("c", 16, 8, 5, 1, 0, true, Activation.RELU);
                conv.bind(engine);
                GradientCheckTest.randomize(conv, r, 0.2);
                Tensor x = GradientCheckTest.random(r, 1.0, 200, 16, 12, 12);
                conv.weight().zeroGrad();
                conv.bias().zeroGrad();
                Tensor y = conv.forward(x, true);
                Tensor dx = conv.backward(GradientCheckTest.random(r, 1.0, 200, 8, 8, 8));
                // a second backward accumulates onto the first gradient
                conv.forward(x, true);
                conv.backward(GradientCheckTest.random(r, 1.0, 200, 8, 8, 8), false);
                results[s] = new float[][] {y.data(), dx.data(), conv.weight().gradFloats().clone(),
                        conv.bias().gradFloats().clone()};
            }
        }
        for (int s = 1; s < settings.length; s++) {
            for (int i = 0; i < results[0].length; i++) {
                assertArrayEquals(results[0][i], results[s][i], "threads " + settings[s] + ", result " + i);
            }
        }
    }

    @Test
    void rejectsFewerThanOneThreadAndNoBackend() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Engine(0, new GemmConv()));
        assertTrue(e.getMessage().contains("got 0"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Engine(1, null));
    }

    @Test
    void anUnboundLayerSaysHowToBindIt() {
        ReLU relu = new ReLU("r");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> relu.forward(new Tensor(new float[4], 1, 4), false));
        assertTrue(e.getMessage().contains("layer r is not bound to an engine"), e.getMessage());
        assertTrue(e.getMessage().contains("Network.bind"), e.getMessage());
    }

    @Test
    void aClosedEngineRefusesWork() {
        Engine engine = TestEngines.engine(GemmConv.NAME, 2);
        ReLU relu = new ReLU("r");
        relu.bind(engine);
        Tensor big = new Tensor(new float[4 << 16], 4, 1 << 16);
        relu.forward(big, false);
        engine.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> relu.forward(big, false));
        assertTrue(e.getMessage().contains("was closed"), e.getMessage());
    }

    @Test
    void copiesAndFoldingKeepTheBindingAndBindReachesEveryLayer() {
        try (Engine a = TestEngines.engine(GemmConv.NAME, 1); Engine b = TestEngines.engine(GemmConv.NAME, 2)) {
            Network net = new Network("tiny", List.of(
                    new SequentialStage("stem", List.of(new Conv2d("stem", 1, 4, 3, 1, 1, false, Activation.RELU),
                            new BatchNorm2d("stem.bn", 4), new ReLU("stem.relu"))),
                    ResidualBlock.create("block1", 4, 6, 2),
                    new SequentialStage("fc", List.of(new GlobalAvgPool("gap"),
                            new Dense("fc", 6, 3, true, Activation.IDENTITY)))));
            assertSame(net, net.bind(a));
            for (Network n : List.of(net, net.copy(), net.foldBatchNorm())) {
                for (Layer l : n.layers()) {
                    assertSame(a, l.boundEngine(), l.name());
                }
                for (Stage s : n.stages()) {
                    if (s instanceof ResidualBlock block) {
                        assertSame(a, block.boundEngine(), block.name());
                    }
                }
            }
            Network other = net.copy().bind(b);
            for (Layer l : other.layers()) {
                assertSame(b, l.boundEngine(), l.name());
            }
            for (Layer l : net.layers()) {
                assertSame(a, l.boundEngine(), "binding a copy leaves the original: " + l.name());
            }
        }
    }
}
