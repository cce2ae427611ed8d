package org.ternsweep.models;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.ternsweep.engine.BatchNorm2d;
import org.ternsweep.engine.Conv2d;
import org.ternsweep.engine.Dense;
import org.ternsweep.engine.Flatten;
import org.ternsweep.engine.GlobalAvgPool;
import org.ternsweep.engine.Layer;
import org.ternsweep.engine.MaxPool2d;
import org.ternsweep.engine.Network;
import org.ternsweep.engine.Param;
import org.ternsweep.engine.ReLU;
import org.ternsweep.engine.ResidualBlock;
import org.ternsweep.engine.Stage;
import org.ternsweep.engine.WeightLayer;

/**
 * Converts between the fast engine's {@link Network} and a stock DL4J {@link ComputationGraph}, and
 * exports networks as DL4J model zips ({@link ModelSerializer}) for other tools. Nothing here reads a
 * zip: DL4J's reader deserializes Java objects from it ({@code preprocessor.bin}), so the model cache
 * keeps its own format ({@link ModelCache}) and a zip is only ever written.
 *
 * <p>Mapping: each engine layer becomes the DL4J vertex of the same name — Conv2d → ConvolutionLayer
 * (identity activation, truncate mode with explicit padding), BatchNorm2d → BatchNormalization
 * (eps 1e-5, variance stored directly: {@code useLogStd(false)}, identity activation: DL4J's default,
 * sigmoid, is not applied by a BatchNormalization layer but would mislead a reader of
 * {@code configuration.json} or another loader), ReLU → ActivationLayer, MaxPool2d →
 * SubsamplingLayer MAX 2×2/2, GlobalAvgPool → GlobalPoolingLayer AVG, Flatten → DL4J's automatic
 * CnnToFeedForward preprocessor (same C order), residual add → ElementWiseVertex Add. The last Dense
 * becomes an OutputLayer with softmax and multi-class cross-entropy, so the graph outputs
 * probabilities where the engine outputs logits. Biases are {@code [1, out]} in DL4J and 1-D here.
 * Inputs are {@code InputType.convolutional(28, 28, 1)}. Networks read back are not bound to an engine.
 */
public final class Dl4jBridge {
    private static final String INPUT = "input";

    private Dl4jBridge() {
    }

    /** A stock DL4J graph computing the same function, with every parameter and running statistic copied. */
    public static ComputationGraph toDl4j(Network net) {
        ComputationGraphConfiguration.GraphBuilder gb = new NeuralNetConfiguration.Builder()
                .dataType(DataType.FLOAT)
                .seed(0)
                .updater(new Adam(1e-3))
                .convolutionMode(ConvolutionMode.Truncate)
                .graphBuilder()
                .addInputs(INPUT);
        List<Layer> flat = net.layers();
        Layer last = null;
        for (Layer l : flat) {
            if (l instanceof Dense) {
                last = l;
            }
        }
        String prev = INPUT;
        for (Stage s : net.stages()) {
            if (s instanceof ResidualBlock b) {
                prev = addBlock(gb, b, prev);
            } else {
                for (Layer l : s.layers()) {
                    prev = addLayer(gb, l, prev, l == last);
                }
            }
        }
        if (last == null || !prev.equals(last.name())) {
            throw new IllegalArgumentException("network " + net.architecture()
                    + " must end with a Dense layer to become a DL4J graph");
        }
        gb.setOutputs(prev);
        gb.setInputTypes(InputType.convolutional(28, 28, 1));
        ComputationGraph graph = new ComputationGraph(gb.build());
        graph.init();
        copyParams(net, graph, true);
        return graph;
    }

    private static String addBlock(ComputationGraphConfiguration.GraphBuilder gb, ResidualBlock b, String in) {
        String main = addLayer(gb, b.conv1(), in, false);
        if (b.bn1() != null) {
            main = addLayer(gb, b.bn1(), main, false);
        }
        main = addLayer(gb, new ReLU(b.name() + ".relu1"), main, false);
        main = addLayer(gb, b.conv2(), main, false);
        if (b.bn2() != null) {
            main = addLayer(gb, b.bn2(), main, false);
        }
        String shortcut = in;
        if (b.shortcut() != null) {
            shortcut = addLayer(gb, b.shortcut(), in, false);
            if (b.shortcutBn() != null) {
                shortcut = addLayer(gb, b.shortcutBn(), shortcut, false);
            }
        }
        String add = b.name() + ".add";
        gb.addVertex(add, new ElementWiseVertex(ElementWiseVertex.Op.Add), main, shortcut);
        return addLayer(gb, new ReLU(b.name() + ".relu"), add, false);
    }

    private static String addLayer(ComputationGraphConfiguration.GraphBuilder gb, Layer l, String in,
                                   boolean output) {
        org.deeplearning4j.nn.conf.layers.Layer conf;
        if (l instanceof Conv2d c) {
            conf = new ConvolutionLayer.Builder(c.kernel(), c.kernel()).nIn(c.inChannels()).nOut(c.outChannels())
                    .stride(c.stride(), c.stride()).padding(c.pad(), c.pad()).hasBias(c.bias() != null)
                    .activation(org.nd4j.linalg.activations.Activation.IDENTITY).build();
        } else if (l instanceof BatchNorm2d bn) {
            conf = new BatchNormalization.Builder().nIn(bn.channels()).nOut(bn.channels()).eps(BatchNorm2d.EPS)
                    .decay(1 - BatchNorm2d.MOMENTUM).useLogStd(false)
                    .activation(org.nd4j.linalg.activations.Activation.IDENTITY).build();
        } else if (l instanceof ReLU) {
            conf = new ActivationLayer.Builder().activation(org.nd4j.linalg.activations.Activation.RELU).build();
        } else if (l instanceof MaxPool2d) {
            conf = new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build();
        } else if (l instanceof GlobalAvgPool) {
            conf = new GlobalPoolingLayer.Builder(PoolingType.AVG).build();
        } else if (l instanceof Flatten) {
            return in;
        } else if (l instanceof Dense d && output) {
            conf = new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(d.nIn()).nOut(d.nOut())
                    .hasBias(d.bias() != null).activation(org.nd4j.linalg.activations.Activation.SOFTMAX).build();
        } else if (l instanceof Dense d) {
            conf = new DenseLayer.Builder().nIn(d.nIn()).nOut(d.nOut()).hasBias(d.bias() != null)
                    .activation(org.nd4j.linalg.activations.Activation.IDENTITY).build();
        } else {
            throw new IllegalArgumentException("layer " + l.name() + " of type " + l.getClass().getSimpleName()
                    + " has no DL4J counterpart in the bridge");
        }
        gb.addLayer(l.name(), conf, in);
        return l.name();
    }

    /**
     * The engine network of {@code architecture} holding the graph's parameters. A graph without
     * BatchNorm layers gives the BN-folded network.
     */
    public static Network fromDl4j(ComputationGraph graph, String architecture) {
        Network net = ModelZoo.build(architecture, 0);
        boolean graphHasBn = false;
        for (org.deeplearning4j.nn.api.Layer l : graph.getLayers()) {
            graphHasBn |= l.conf().getLayer() instanceof BatchNormalization;
        }
        if (!graphHasBn && net.hasBatchNorm()) {
            net = net.foldBatchNorm();
        }
        copyParams(net, graph, false);
        return net;
    }

    private static void copyParams(Network net, ComputationGraph graph, boolean toGraph) {
        for (Layer l : net.layers()) {
            if (l instanceof WeightLayer w) {
                copy(graph, l.name(), "W", w.weight(), toGraph);
                if (w.bias() != null) {
                    copy(graph, l.name(), "b", w.bias(), toGraph);
                } else if (graph.getLayer(l.name()).paramTable().containsKey("b")) {
                    throw new IllegalArgumentException("DL4J layer " + l.name() + " has a bias but the "
                            + net.architecture() + " layer has none");
                }
            } else if (l instanceof BatchNorm2d bn) {
                copy(graph, l.name(), "gamma", bn.gamma().valueFloats(), bn.gamma().shape(), toGraph);
                copy(graph, l.name(), "beta", bn.beta().valueFloats(), bn.beta().shape(), toGraph);
                copy(graph, l.name(), "mean", bn.runningMean(), new int[] {bn.channels()}, toGraph);
                copy(graph, l.name(), "var", bn.runningVar(), new int[] {bn.channels()}, toGraph);
            }
        }
    }

    private static void copy(ComputationGraph graph, String layer, String key, Param ours, boolean toGraph) {
        copy(graph, layer, key, ours.valueFloats(), ours.shape(), toGraph);
    }

    /** Copies between the engine's {@code values} (C order, of {@code shape}) and the graph's parameter. */
    private static void copy(ComputationGraph graph, String layer, String key, float[] values, int[] shape,
                             boolean toGraph) {
        org.deeplearning4j.nn.api.Layer dl = graph.getLayer(layer);
        if (dl == null) {
            throw new IllegalArgumentException("DL4J graph has no layer named " + layer + "; its layers are "
                    + Arrays.stream(graph.getLayers()).map(x -> x.conf().getLayer().getLayerName()).toList());
        }
        Map<String, INDArray> table = dl.paramTable();
        INDArray theirs = table.get(key);
        if (theirs == null) {
            throw new IllegalArgumentException("DL4J layer " + layer + " has no parameter " + key + "; it has "
                    + table.keySet());
        }
        if (theirs.length() != values.length) {
            throw new IllegalArgumentException("parameter " + layer + "." + key + " has shape "
                    + Arrays.toString(theirs.shape()) + " in DL4J but " + Arrays.toString(shape) + " in the engine");
        }
        if (toGraph) {
            theirs.assign(Nd4jArrays.array(values, shape).reshape(theirs.shape()));
        } else {
            float[] read = Nd4jArrays.floats(theirs);
            System.arraycopy(read, 0, values, 0, values.length);
        }
    }

    /** Writes {@code net} as a DL4J model zip (no updater state). */
    public static void save(Network net, OutputStream out) throws IOException {
        ModelSerializer.writeModel(toDl4j(net), out, false);
    }

    /** The zoo architecture whose weight-layer names the graph has. */
    public static String architectureOf(ComputationGraph graph) {
        List<String> tried = new ArrayList<>();
        for (String arch : ModelZoo.ARCHITECTURES) {
            boolean all = true;
            for (WeightLayer w : ModelZoo.build(arch, 0).weightLayers()) {
                all &= graph.getConfiguration().getVertices().containsKey(w.name());
            }
            if (all && graph.getConfiguration().getVertices().size() == expectedVertices(arch, graph)) {
                return arch;
            }
            tried.add(arch);
        }
        throw new IllegalArgumentException("the DL4J model matches no zoo architecture (tried " + tried
                + "); its vertices are " + graph.getConfiguration().getVertices().keySet());
    }

    private static int expectedVertices(String arch, ComputationGraph graph) {
        Network n = ModelZoo.build(arch, 0);
        boolean hasBn = false;
        for (org.deeplearning4j.nn.api.Layer l : graph.getLayers()) {
            hasBn |= l.conf().getLayer() instanceof BatchNormalization;
        }
        if (!hasBn) {
            n = n.foldBatchNorm();
        }
        return toDl4jVertexCount(n);
    }

    private static int toDl4jVertexCount(Network n) {
        int count = 0;
        for (Stage s : n.stages()) {
            for (Layer l : s.layers()) {
                count += l instanceof Flatten ? 0 : 1;
            }
            count += s instanceof ResidualBlock ? 1 : 0;
        }
        return count;
    }
}
