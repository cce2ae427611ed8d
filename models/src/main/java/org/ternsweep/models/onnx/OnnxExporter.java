package org.ternsweep.models.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import onnx.Onnx;
import org.ternsweep.engine.AvgPool2d;
import org.ternsweep.engine.BatchNorm2d;
import org.ternsweep.engine.ChannelAffine;
import org.ternsweep.engine.Clip;
import org.ternsweep.engine.Conv2d;
import org.ternsweep.engine.Dense;
import org.ternsweep.engine.Flatten;
import org.ternsweep.engine.GlobalAvgPool;
import org.ternsweep.engine.GraphStage;
import org.ternsweep.engine.Layer;
import org.ternsweep.engine.MaxPool2d;
import org.ternsweep.engine.Network;
import org.ternsweep.engine.ReLU;
import org.ternsweep.engine.ResidualBlock;
import org.ternsweep.engine.SequentialStage;
import org.ternsweep.engine.Stage;
import org.ternsweep.engine.WeightLayer;

/**
 * Writes an engine {@link Network} as a plain ONNX model (opset {@value #OPSET}, IR version {@value #IR_VERSION}):
 * one float input {@value #INPUT} {@code [N, C, H, W]} with a free batch dimension, one output {@value #OUTPUT}
 * {@code [N, classes]}, every weight and bias a float initializer holding exactly the floats the engine's
 * parameters hold (a quantized layer's λ·c, an int8 layer's dequantized values), so that any runtime computes
 * what the engine computes up to the rounding of its own kernels.
 *
 * <p>Each engine layer becomes the ONNX ops that compute its {@code forward}: Conv (square kernel, symmetric pads,
 * groups, optional bias), Gemm for {@link Dense} (the engine's weight is {@code [nIn, nOut]}, ONNX's B without
 * transposition), Relu, Clip, MaxPool (2×2, stride 2, floor, as {@link MaxPool2d}), AveragePool (padded positions
 * not counted, floor, as {@link AvgPool2d}), GlobalAveragePool followed by Flatten (the engine's
 * {@link GlobalAvgPool} yields {@code [N, C]}), Flatten (axis 1, C order as {@link Flatten}), Mul and Add per
 * channel for {@link ChannelAffine}. A {@link ResidualBlock} is conv1, Relu, conv2, the shortcut (identity or its
 * conv), Add, Relu; a {@link GraphStage} keeps its DAG, adds as Add. A {@link WeightLayer}'s {@code activation()}
 * adds no op: it describes the network, the ReLU that follows is a layer of its own. BatchNorm must be folded
 * first ({@link Network#foldBatchNorm()}); a layer with an effective weight set (QAT or AdaRound in progress) is
 * refused, since its forward does not use the weight it holds.
 */
public final class OnnxExporter {
    /** The default-domain opset of every exported model. */
    public static final int OPSET = 13;
    /** The ONNX IR version that goes with {@link #OPSET} (ONNX 1.8). */
    public static final int IR_VERSION = 7;
    /** The producer name written into every model. */
    public static final String PRODUCER = "ternsweep";
    /** The graph's input, {@code [N, C, H, W]}. */
    public static final String INPUT = "input";
    /** The graph's output, {@code [N, classes]}. */
    public static final String OUTPUT = "logits";

    private final List<Onnx.NodeProto.Builder> nodes = new ArrayList<>();
    private final List<Onnx.TensorProto> initializers = new ArrayList<>();
    /** Per-image shape (without the batch dimension) of every tensor written so far. */
    private final Map<String, int[]> shapes = new LinkedHashMap<>();
    private int counter;

    private OnnxExporter() {
    }

    /**
     * The ONNX model of {@code network}.
     *
     * @param network         a BN-folded network (as every method's quantized network is)
     * @param inputShape      the per-image input shape {@code [C, H, W]}
     * @param producerVersion the version written as {@code producer_version}
     * @param metadata        key → value pairs for the model's {@code metadata_props}, in this order
     * @return the serialized {@code ModelProto}
     * @throws IllegalArgumentException naming the layer when it cannot be exported (BatchNorm left, an effective
     *                                  weight set, a layer type the exporter does not know)
     */
    public static byte[] export(Network network, int[] inputShape, String producerVersion,
                                Map<String, String> metadata) {
        if (inputShape == null || inputShape.length != 3) {
            throw new IllegalArgumentException("the input shape must be [channels, height, width], got "
                    + Arrays.toString(inputShape));
        }
        if (network.hasBatchNorm()) {
            throw new IllegalArgumentException("network " + network.architecture() + " still has BatchNorm layers;"
                    + " export its foldBatchNorm() copy");
        }
        OnnxExporter e = new OnnxExporter();
        e.shapes.put(INPUT, inputShape.clone());
        String t = INPUT;
        for (Stage s : network.stages()) {
            t = e.stage(s, t);
        }
        int[] out = e.shapes.get(t);
        if (out.length != 1) {
            throw new IllegalArgumentException("network " + network.architecture() + " ends in a tensor of shape "
                    + Arrays.toString(out) + " per image; a classifier's logits are one vector per image");
        }
        e.rename(t, OUTPUT);
        Onnx.GraphProto.Builder graph = Onnx.GraphProto.newBuilder().setName(network.architecture())
                .addInput(value(INPUT, inputShape))
                .addOutput(value(OUTPUT, out))
                .addAllInitializer(e.initializers);
        for (Onnx.NodeProto.Builder n : e.nodes) {
            graph.addNode(n);
        }
        Onnx.ModelProto.Builder model = Onnx.ModelProto.newBuilder().setIrVersion(IR_VERSION)
                .setProducerName(PRODUCER).setProducerVersion(producerVersion == null ? "" : producerVersion)
                .setGraph(graph)
                .addOpsetImport(Onnx.OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET));
        metadata.forEach((k, v) -> model.addMetadataProps(Onnx.StringStringEntryProto.newBuilder().setKey(k)
                .setValue(v)));
        return model.build().toByteArray();
    }

    private String stage(Stage s, String in) {
        if (s instanceof SequentialStage seq) {
            String t = in;
            for (Layer l : seq.layers()) {
                t = layer(l, t);
            }
            return t;
        }
        if (s instanceof ResidualBlock block) {
            return residual(block, in);
        }
        if (s instanceof GraphStage g) {
            return graph(g, in);
        }
        throw new IllegalArgumentException("stage " + s.name() + " is a " + s.getClass().getSimpleName()
                + "; the exporter writes SequentialStage, ResidualBlock and GraphStage");
    }

    private String graph(GraphStage g, String in) {
        // the graph's tensor names are local to it: prefixed by the stage so that two stages never clash
        Map<String, String> names = new LinkedHashMap<>();
        names.put(g.input(), in);
        for (GraphStage.Node n : g.nodes()) {
            String out;
            if (n.isAdd()) {
                String a = names.get(n.inputs().get(0));
                String b = names.get(n.inputs().get(1));
                if (!Arrays.equals(shapes.get(a), shapes.get(b))) {
                    throw new IllegalArgumentException("graph stage " + g.name() + ": add " + n.output() + " joins "
                            + Arrays.toString(shapes.get(a)) + " and " + Arrays.toString(shapes.get(b)));
                }
                out = node("Add", g.name() + "." + n.output(), List.of(a, b), shapes.get(a));
            } else {
                out = layer(n.layer(), names.get(n.inputs().get(0)));
            }
            names.put(n.output(), out);
        }
        return names.get(g.output());
    }

    private String residual(ResidualBlock b, String in) {
        if (b.bn1() != null || b.bn2() != null || b.shortcutBn() != null) {
            throw new IllegalArgumentException("residual block " + b.name() + " still has BatchNorm layers;"
                    + " export the network's foldBatchNorm() copy");
        }
        String a = conv(b.conv1(), in);
        a = node("Relu", b.name() + ".relu1", List.of(a), shapes.get(a));
        String main = conv(b.conv2(), a);
        String shortcut = b.shortcut() == null ? in : conv(b.shortcut(), in);
        if (!Arrays.equals(shapes.get(main), shapes.get(shortcut))) {
            throw new IllegalArgumentException("residual block " + b.name() + ": main path gives "
                    + Arrays.toString(shapes.get(main)) + " but the shortcut " + Arrays.toString(shapes.get(shortcut)));
        }
        String sum = node("Add", b.name() + ".add", List.of(main, shortcut), shapes.get(main));
        return node("Relu", b.name() + ".relu", List.of(sum), shapes.get(sum));
    }

    private String layer(Layer l, String in) {
        int[] x = shapes.get(in);
        if (l instanceof Conv2d c) {
            return conv(c, in);
        }
        if (l instanceof Dense d) {
            return dense(d, in);
        }
        if (l instanceof ReLU) {
            return node("Relu", l.name(), List.of(in), x);
        }
        if (l instanceof Clip c) {
            // an infinite bound is an omitted input: no clamp on that side
            String min = Float.isInfinite(c.min()) ? "" : scalar(l.name() + ".min", c.min());
            String max = Float.isInfinite(c.max()) ? "" : scalar(l.name() + ".max", c.max());
            return node("Clip", l.name(), List.of(in, min, max), x);
        }
        if (l instanceof MaxPool2d) {
            requireRank(l, x, 3);
            return node("MaxPool", l.name(), List.of(in), new int[] {x[0], x[1] / 2, x[2] / 2},
                    ints("kernel_shape", 2, 2), ints("strides", 2, 2), ints("pads", 0, 0, 0, 0),
                    integer("ceil_mode", 0));
        }
        if (l instanceof AvgPool2d p) {
            requireRank(l, x, 3);
            int[] k = p.kernel();
            int[] s = p.strides();
            int[] pad = p.pads();
            int[] y = {x[0], (x[1] + 2 * pad[0] - k[0]) / s[0] + 1, (x[2] + 2 * pad[1] - k[1]) / s[1] + 1};
            return node("AveragePool", l.name(), List.of(in), y, ints("kernel_shape", k[0], k[1]),
                    ints("strides", s[0], s[1]), ints("pads", pad[0], pad[1], pad[0], pad[1]),
                    integer("ceil_mode", 0), integer("count_include_pad", 0));
        }
        if (l instanceof GlobalAvgPool) {
            requireRank(l, x, 3);
            String pooled = node("GlobalAveragePool", l.name(), List.of(in), new int[] {x[0], 1, 1});
            return node("Flatten", l.name() + ".flatten", List.of(pooled), new int[] {x[0]}, integer("axis", 1));
        }
        if (l instanceof Flatten) {
            return node("Flatten", l.name(), List.of(in), new int[] {Arrays.stream(x).reduce(1, (a, b) -> a * b)},
                    integer("axis", 1));
        }
        if (l instanceof ChannelAffine a) {
            requireRank(l, x, 3);
            float[] scale = a.scale();
            // [C, 1, 1] broadcasts over [N, C, H, W] channel by channel; one value over everything
            long[] dims = scale.length == 1 ? new long[] {1} : new long[] {scale.length, 1, 1};
            String mul = node("Mul", l.name() + ".scale", List.of(in, floats(l.name() + ".scale", scale, dims)), x);
            return node("Add", l.name() + ".shift", List.of(mul, floats(l.name() + ".shift", a.shift(), dims)), x);
        }
        if (l instanceof ResidualBlock b) {
            return residual(b, in);
        }
        if (l instanceof BatchNorm2d) {
            throw new IllegalArgumentException("BatchNorm " + l.name() + " is not folded; export the network's"
                    + " foldBatchNorm() copy");
        }
        throw new IllegalArgumentException("layer " + l.name() + " is a " + l.getClass().getSimpleName()
                + ", which the ONNX exporter does not write");
    }

    private String conv(Conv2d c, String in) {
        int[] x = shapes.get(in);
        requireRank(c, x, 3);
        if (x[0] != c.inChannels()) {
            throw new IllegalArgumentException("conv " + c.name() + " takes " + c.inChannels() + " channels but gets "
                    + Arrays.toString(x));
        }
        List<String> inputs = new ArrayList<>(List.of(in, weight(c, new long[] {c.outChannels(),
                c.inChannels() / c.groups(), c.kernel(), c.kernel()})));
        if (c.bias() != null) {
            inputs.add(floats(c.bias().name(), c.bias().valueFloats(), c.outChannels()));
        }
        int k = c.kernel();
        int p = c.pad();
        int[] y = {c.outChannels(), c.shape().outSize(x[1]), c.shape().outSize(x[2])};
        return node("Conv", c.name(), inputs, y, ints("kernel_shape", k, k), ints("strides", c.stride(), c.stride()),
                ints("pads", p, p, p, p), ints("dilations", 1, 1), integer("group", c.groups()));
    }

    private String dense(Dense d, String in) {
        int[] x = shapes.get(in);
        if (x.length != 1 || x[0] != d.nIn()) {
            throw new IllegalArgumentException("dense " + d.name() + " takes [N, " + d.nIn() + "] but gets [N, "
                    + Arrays.toString(x).replaceAll("[\\[\\]]", "") + "]");
        }
        // y = x·W + b with W [nIn, nOut]: Gemm's B as it is, no transB
        List<String> inputs = new ArrayList<>(List.of(in, weight(d, new long[] {d.nIn(), d.nOut()})));
        if (d.bias() != null) {
            inputs.add(floats(d.bias().name(), d.bias().valueFloats(), d.nOut()));
        }
        return node("Gemm", d.name(), inputs, new int[] {d.nOut()}, integer("transA", 0), integer("transB", 0));
    }

    private String weight(WeightLayer w, long[] dims) {
        if (w.hasEffectiveWeight()) {
            throw new IllegalArgumentException("layer " + w.name() + " has an effective weight set, so its forward"
                    + " does not use the weight it holds; clear it before exporting");
        }
        return floats(w.weight().name(), w.weight().valueFloats(), dims);
    }

    private static void requireRank(Layer l, int[] x, int rank) {
        if (x.length != rank) {
            throw new IllegalArgumentException("layer " + l.name() + " (" + l.getClass().getSimpleName() + ") needs"
                    + " a " + (rank + 1) + "-D input but gets [N, " + Arrays.toString(x).replaceAll("[\\[\\]]", "")
                    + "]");
        }
    }

    /** Adds a node named {@code name} writing a fresh tensor of per-image shape {@code shape}; returns its name. */
    private String node(String op, String name, List<String> inputs, int[] shape, Onnx.AttributeProto... attrs) {
        String out = fresh(name);
        Onnx.NodeProto.Builder n = Onnx.NodeProto.newBuilder().setName(out).setOpType(op).addAllInput(inputs)
                .addOutput(out);
        for (Onnx.AttributeProto a : attrs) {
            n.addAttribute(a);
        }
        nodes.add(n);
        shapes.put(out, shape);
        return out;
    }

    /** {@code name}, or {@code name_<n>} where a tensor or initializer already has it. */
    private String fresh(String name) {
        String n = name;
        while (shapes.containsKey(n) || n.equals(OUTPUT) || hasInitializer(n)) {
            n = name + "_" + ++counter;
        }
        return n;
    }

    private boolean hasInitializer(String name) {
        for (Onnx.TensorProto t : initializers) {
            if (t.getName().equals(name)) {
                return true;
            }
        }
        return false;
    }

    /** Renames the last node's output (the network's result) to {@code to}. */
    private void rename(String from, String to) {
        Onnx.NodeProto.Builder last = nodes.get(nodes.size() - 1);
        if (!last.getOutput(0).equals(from)) {
            throw new IllegalStateException("the network's result " + from + " is not the last node's output");
        }
        last.setOutput(0, to);
    }

    private String scalar(String name, float v) {
        return floats(name, new float[] {v});
    }

    /** A float initializer, little-endian raw data as ONNX stores it; returns its (fresh) name. */
    private String floats(String name, float[] v, long... dims) {
        if (v.length != Arrays.stream(dims).reduce(1, (a, b) -> a * b)) {
            throw new IllegalArgumentException("initializer " + name + " has " + v.length + " values for dims "
                    + Arrays.toString(dims));
        }
        String n = fresh(name);
        ByteBuffer bytes = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(v);
        Onnx.TensorProto.Builder t = Onnx.TensorProto.newBuilder().setName(n)
                .setDataType(Onnx.TensorProto.DataType.FLOAT_VALUE)
                .setRawData(org.nd4j.shade.protobuf.ByteString.copyFrom(bytes.array()));
        for (long d : dims) {
            t.addDims(d);
        }
        initializers.add(t.build());
        return n;
    }

    private static Onnx.AttributeProto integer(String name, long v) {
        return Onnx.AttributeProto.newBuilder().setName(name).setType(Onnx.AttributeProto.AttributeType.INT).setI(v)
                .build();
    }

    private static Onnx.AttributeProto ints(String name, long... v) {
        Onnx.AttributeProto.Builder a = Onnx.AttributeProto.newBuilder().setName(name)
                .setType(Onnx.AttributeProto.AttributeType.INTS);
        for (long x : v) {
            a.addInts(x);
        }
        return a.build();
    }

    /** A float tensor's type: batch dimension {@code N}, then {@code perImage}. */
    private static Onnx.ValueInfoProto value(String name, int[] perImage) {
        Onnx.TensorShapeProto.Builder shape = Onnx.TensorShapeProto.newBuilder()
                .addDim(Onnx.TensorShapeProto.Dimension.newBuilder().setDimParam("N"));
        for (int d : perImage) {
            shape.addDim(Onnx.TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        return Onnx.ValueInfoProto.newBuilder().setName(name).setType(Onnx.TypeProto.newBuilder().setTensorType(
                Onnx.TypeProto.Tensor.newBuilder().setElemType(Onnx.TensorProto.DataType.FLOAT_VALUE)
                        .setShape(shape))).build();
    }
}
