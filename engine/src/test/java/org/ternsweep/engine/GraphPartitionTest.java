package org.ternsweep.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link GraphPartition} on small graphs: where it cuts, which layers join which stage, and that the stages compute
 * what the graph computes, forward and backward, bit for bit.
 */
class GraphPartitionTest {
    private static Tensor random(SplittableRandom r, int... shape) {
        Tensor t = Tensor.zeros(shape);
        float[] v = t.data();
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) r.nextGaussian() * 0.3f;
        }
        return t;
    }

    /** normalisation → conv → relu → [block: conv → relu → conv, + projection] → relu → pool → flatten → dense. */
    private static GraphStage graph() {
        SplittableRandom r = new SplittableRandom(5);
        return new GraphStage("g", "x", "y", List.of(
                GraphStage.Node.layer("n", ChannelAffine.normalisation("norm", new float[] {0.3f},
                        new float[] {0.4f}), "x"),
                GraphStage.Node.layer("c", new Conv2d("stem", random(r, 4, 1, 3, 3), new float[4], 1, 1,
                        Activation.RELU), "n"),
                GraphStage.Node.layer("cr", new ReLU("stem.relu"), "c"),
                GraphStage.Node.layer("a1", new Conv2d("b.conv1", random(r, 6, 4, 3, 3), new float[6], 2, 1,
                        Activation.RELU), "cr"),
                GraphStage.Node.layer("a2", new ReLU("b.relu1"), "a1"),
                GraphStage.Node.layer("a3", new Conv2d("b.conv2", random(r, 6, 6, 3, 3), null, 1, 1,
                        Activation.IDENTITY), "a2"),
                GraphStage.Node.layer("s", new Conv2d("b.shortcut", random(r, 6, 4, 1, 1), null, 2, 0,
                        Activation.IDENTITY), "cr"),
                GraphStage.Node.add("sum", "a3", "s"),
                GraphStage.Node.layer("o", new ReLU("b.relu"), "sum"),
                GraphStage.Node.layer("p", new GlobalAvgPool("gap"), "o"),
                GraphStage.Node.layer("f", new Flatten("flat"), "p"),
                GraphStage.Node.layer("y", new Dense("fc", random(r, 6, 3), new float[3], Activation.IDENTITY),
                        "f")));
    }

    private static List<String> layerNames(Stage s) {
        List<String> out = new ArrayList<>();
        s.layers().forEach(l -> out.add(l.name()));
        return out;
    }

    @Test
    void cutsAtTheTensorsEveryPathRunsThroughAndGroupsLayersAsTheZooDoes() {
        List<Stage> stages = GraphPartition.stages(graph());
        assertEquals(3, stages.size());
        assertEquals(List.of("norm", "stem", "stem.relu"), layerNames(stages.get(0)), "the normalisation joins the first");
        assertEquals(SequentialStage.class, stages.get(0).getClass());
        assertEquals(List.of("b.conv1", "b.relu1", "b.conv2", "b.shortcut", "b.relu"), layerNames(stages.get(1)),
                "a block keeps the ReLU after its add");
        assertEquals(GraphStage.class, stages.get(1).getClass());
        assertEquals(List.of("gap", "flat", "fc"), layerNames(stages.get(2)), "pooling after a block starts the"
                + " classifier's stage");
    }

    @Test
    void theStagesComputeWhatTheGraphComputesForwardAndBackward() {
        GraphStage g = graph();
        Network whole = new Network("g", List.of(g.copy())).bind(TestEngines.STANDARD);
        Network cut = new Network("g", GraphPartition.stages(g.copy())).bind(TestEngines.STANDARD);
        Tensor x = random(new SplittableRandom(9), 5, 1, 8, 8);
        Tensor a = whole.forward(x, true);
        Tensor b = cut.forward(x, true);
        assertArrayEquals(a.data(), b.data(), 0f);
        Tensor grad = random(new SplittableRandom(10), 5, 3);
        assertArrayEquals(whole.backward(grad).data(), cut.backward(grad).data(), 0f);
        for (int i = 0; i < whole.params().size(); i++) {
            assertArrayEquals(whole.params().get(i).gradFloats(), cut.params().get(i).gradFloats(), 0f,
                    whole.params().get(i).name());
        }
    }

    @Test
    void aGraphWithoutWeightLayersOrBlocksStaysWhole() {
        GraphStage g = new GraphStage("g", "x", "y", List.of(GraphStage.Node.layer("r", new ReLU("r"), "x"),
                GraphStage.Node.layer("y", new GlobalAvgPool("gap"), "r")));
        assertSame(g, GraphPartition.stages(g).get(0));
        assertEquals(1, GraphPartition.stages(g).size());
    }
}
