package org.ternsweep.models.onnx;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import onnx.Onnx;
import org.nd4j.shade.protobuf.InvalidProtocolBufferException;
import org.ternsweep.core.BadInputException;
import org.ternsweep.core.Sha256;
import org.ternsweep.engine.Activation;
import org.ternsweep.engine.AvgPool2d;
import org.ternsweep.engine.BatchNorm2d;
import org.ternsweep.engine.ChannelAffine;
import org.ternsweep.engine.Clip;
import org.ternsweep.engine.Conv2d;
import org.ternsweep.engine.Dense;
import org.ternsweep.engine.Flatten;
import org.ternsweep.engine.GlobalAvgPool;
import org.ternsweep.engine.GraphPartition;
import org.ternsweep.engine.GraphStage;
import org.ternsweep.engine.Layer;
import org.ternsweep.engine.MaxPool2d;
import org.ternsweep.engine.Network;
import org.ternsweep.engine.ReLU;
import org.ternsweep.engine.Tensor;

/**
 * Reads an ONNX image classifier into the engine: one {@link GraphStage} whose nodes are the engine's layers,
 * so every operator and method runs on it as on the zoo's networks. The protobuf is parsed by the classes
 * generated from {@code onnx.proto} that ship in nd4j-api (package {@code onnx}).
 *
 * <p>What it accepts is what {@code torch.onnx.export} and {@code tf2onnx} emit for CNN classifiers at opsets
 * 11–17 ({@link #SUPPORTED}): one float input {@code [N, C, H, W]} with fixed C, H, W, one output
 * {@code [N, classes]}, and these ops with these limits: Conv (square kernels, symmetric pads, dilation 1, any
 * stride and groups), BatchNormalization (inference form), Relu, Clip (constant bounds), Add of two tensors
 * (residual) or of a constant bias after MatMul, MaxPool (2×2, stride 2, no padding), AveragePool (no padding
 * counted, floor mode), GlobalAveragePool, Flatten (axis 1), Reshape to {@code [N, −1]}, Gemm (transB either,
 * alpha = beta = 1), MatMul by a constant, Identity, Dropout (inference), Constant, and Sub/Div/Mul/Add by
 * constants on the network's input (a normalisation baked into the graph, which becomes a
 * {@link ChannelAffine} first layer). Anything else is refused before anything runs, with the node's name,
 * its op type and this list; so are weights shared by two nodes.
 */
public final class OnnxImporter {
    /** The op types the importer reads (see the class comment for their limits). */
    public static final List<String> SUPPORTED = List.of("Add", "AveragePool", "BatchNormalization", "Clip",
            "Constant", "Conv", "Div", "Dropout", "Flatten", "Gemm", "GlobalAveragePool", "Identity", "MatMul",
            "MaxPool", "Mul", "Relu", "Reshape", "Sub");
    /** The default-domain opsets the importer was written and tested for. */
    public static final int MIN_OPSET = 11;
    public static final int MAX_OPSET = 17;

    private static final int FLOAT = Onnx.TensorProto.DataType.FLOAT_VALUE;
    private static final int INT64 = Onnx.TensorProto.DataType.INT64_VALUE;
    /** ONNX BatchNormalization's default epsilon, which is also the engine's {@link BatchNorm2d#EPS}. */
    private static final float DEFAULT_BN_EPSILON = 1e-5f;

    private final String source;
    private final Onnx.GraphProto graph;
    /** Constants (initializers and Constant nodes) by ONNX name: values as floats, and their dims. */
    private final Map<String, float[]> constants = new HashMap<>();
    private final Map<String, long[]> constantDims = new HashMap<>();
    /** ONNX names that stand for another tensor or constant (Identity, Dropout, no-op Flatten/Reshape). */
    private final Map<String, String> aliases = new HashMap<>();
    /** Per-image shape of each graph tensor (by ONNX name), without the batch dimension. */
    private final Map<String, int[]> shapes = new HashMap<>();
    /** How many nodes read each ONNX name (after aliasing: counted on the raw names). */
    private final Map<String, Integer> readers = new HashMap<>();
    /** The node that reads each name, where exactly one does. */
    private final Map<String, Onnx.NodeProto> soleReader = new HashMap<>();
    /** Which node took each parameter constant, to refuse shared weights. */
    private final Map<String, String> parameterOwner = new HashMap<>();
    private final List<GraphStage.Node> nodes = new ArrayList<>();
    private final Set<String> layerNames = new HashSet<>();
    /** MatMul outputs waiting for their bias Add: ONNX output name → weight [nIn, nOut] and node name. */
    private final Map<String, Object[]> pendingMatMul = new HashMap<>();

    /** The input normalisation chain: the ONNX name it has reached, and its per-channel scale and shift. */
    private String chainName;
    private float[] chainScale;
    private float[] chainShift;
    private boolean chainEmitted;
    private String inputName;

    private OnnxImporter(String source, Onnx.GraphProto graph) {
        this.source = source;
        this.graph = graph;
    }

    /**
     * Reads the ONNX file at {@code file}; see {@link #read(byte[], String, float[], float[])}.
     *
     * @throws IOException if the file cannot be read
     */
    public static ImportedNetwork read(Path file, float[] mean, float[] std) throws IOException {
        return read(Files.readAllBytes(file), file.toString(), mean, std);
    }

    /**
     * Reads an ONNX model. {@code mean}/{@code std} (per input channel or one value, or both null) normalise
     * the input as {@code (x − mean) / std} before the graph, for a network trained on normalised data whose
     * file does not contain the normalisation.
     *
     * @param source where the bytes came from, for messages
     * @throws BadInputException naming the file (and node) if it is not a model the importer supports
     */
    public static ImportedNetwork read(byte[] bytes, String source, float[] mean, float[] std) {
        Onnx.ModelProto model;
        try {
            model = Onnx.ModelProto.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new BadInputException(source + " is not an ONNX model (its protobuf does not parse: "
                    + e.getMessage() + ")", e);
        }
        if (!model.hasGraph() || model.getGraph().getNodeCount() == 0) {
            throw new BadInputException(source + " is not an ONNX model with a graph");
        }
        int opset = opset(model, source);
        if ((mean == null) != (std == null)) {
            throw new BadInputException(source + ": give both mean and std, or neither");
        }
        OnnxImporter importer = new OnnxImporter(source, model.getGraph());
        Network net = importer.build(mean, std);
        Map<String, Integer> ops = new TreeMap<>();
        for (Onnx.NodeProto n : model.getGraph().getNodeList()) {
            ops.merge(n.getOpType(), 1, Integer::sum);
        }
        int[] out = importer.shapes.get(importer.resolve(model.getGraph().getOutput(0).getName()));
        String producer = (model.getProducerName() + " " + model.getProducerVersion()).trim();
        return new ImportedNetwork(net, source, Sha256.of(bytes), producer, opset,
                importer.shapes.get(importer.inputName), out[0], ops);
    }

    private static int opset(Onnx.ModelProto model, String source) {
        for (Onnx.OperatorSetIdProto o : model.getOpsetImportList()) {
            if (o.getDomain().isEmpty() || o.getDomain().equals("ai.onnx")) {
                long v = o.getVersion();
                if (v < MIN_OPSET || v > MAX_OPSET) {
                    throw new BadInputException(source + " imports opset " + v + "; supported are opsets "
                            + MIN_OPSET + " to " + MAX_OPSET + " (re-export with opset_version in that range)");
                }
                return (int) v;
            }
        }
        throw new BadInputException(source + " imports no default-domain (ai.onnx) opset");
    }

    private BadInputException error(Onnx.NodeProto node, String message) {
        return new BadInputException(source + ": node " + nodeName(node) + " (" + node.getOpType() + "): "
                + message);
    }

    private static String nodeName(Onnx.NodeProto node) {
        return node.getName().isEmpty() ? node.getOutput(0) : node.getName();
    }

    private String resolve(String name) {
        String n = name;
        while (aliases.containsKey(n)) {
            n = aliases.get(n);
        }
        return n;
    }

    private Network build(float[] mean, float[] std) {
        for (Onnx.TensorProto t : graph.getInitializerList()) {
            putConstant(t.getName(), t, null);
        }
        readInput();
        for (Onnx.NodeProto n : graph.getNodeList()) {
            if (!n.getDomain().isEmpty() && !n.getDomain().equals("ai.onnx")) {
                throw error(n, "op domain " + n.getDomain() + " is not supported; supported ops (default domain): "
                        + SUPPORTED);
            }
            if (!SUPPORTED.contains(n.getOpType())) {
                throw error(n, "op type " + n.getOpType() + " is not supported; supported: " + SUPPORTED);
            }
            for (String in : n.getInputList()) {
                if (!in.isEmpty()) {
                    readers.merge(in, 1, Integer::sum);
                    soleReader.put(in, n);
                }
            }
        }
        for (String name : readers.keySet()) {
            if (readers.get(name) != 1) {
                soleReader.remove(name);
            }
        }
        chainName = inputName;
        chainScale = new float[] {1f};
        chainShift = new float[] {0f};
        if (mean != null) {
            ChannelAffine norm = ChannelAffine.normalisation("normalisation", mean, std);
            chainScale = norm.scale();
            chainShift = norm.shift();
        }
        for (Onnx.NodeProto n : graph.getNodeList()) {
            convert(n);
        }
        if (graph.getOutputCount() != 1) {
            throw new BadInputException(source + " has " + graph.getOutputCount() + " outputs; an image classifier"
                    + " has one, the logits [N, classes]");
        }
        String out = resolve(graph.getOutput(0).getName());
        int[] outShape = shapes.get(out);
        if (outShape == null || outShape.length != 1) {
            throw new BadInputException(source + ": the output " + graph.getOutput(0).getName() + " is "
                    + (outShape == null ? "not computed by the graph" : "of per-image shape "
                    + Arrays.toString(outShape)) + "; an image classifier's output is [N, classes]");
        }
        if (nodes.isEmpty()) {
            throw new BadInputException(source + ": the graph computes nothing from its input");
        }
        try {
            // cut into the zoo's kind of stages, so that BrecQ's blocks and every per-stage rule apply unchanged
            return new Network("onnx", GraphPartition.stages(new GraphStage("graph", inputName, out, nodes)));
        } catch (IllegalArgumentException e) {
            throw new BadInputException(source + ": " + e.getMessage(), e);
        }
    }

    private void readInput() {
        Set<String> init = new HashSet<>();
        for (Onnx.TensorProto t : graph.getInitializerList()) {
            init.add(t.getName());
        }
        List<Onnx.ValueInfoProto> inputs = new ArrayList<>();
        for (Onnx.ValueInfoProto v : graph.getInputList()) {
            if (!init.contains(v.getName())) {
                inputs.add(v);
            }
        }
        if (inputs.size() != 1) {
            throw new BadInputException(source + " has " + inputs.size() + " inputs; an image classifier has one,"
                    + " the images [N, C, H, W]");
        }
        Onnx.ValueInfoProto in = inputs.get(0);
        Onnx.TypeProto.Tensor type = in.getType().getTensorType();
        if (type.getElemType() != FLOAT) {
            throw new BadInputException(source + ": input " + in.getName() + " has element type "
                    + Onnx.TensorProto.DataType.forNumber(type.getElemType()) + "; it must be float");
        }
        List<Onnx.TensorShapeProto.Dimension> dims = type.getShape().getDimList();
        int[] chw = new int[3];
        boolean fixed = dims.size() == 4;
        for (int i = 1; fixed && i < 4; i++) {
            fixed = dims.get(i).hasDimValue() && dims.get(i).getDimValue() > 0;
            chw[i - 1] = fixed ? (int) dims.get(i).getDimValue() : 0;
        }
        if (!fixed) {
            throw new BadInputException(source + ": input " + in.getName() + " has shape " + describe(dims)
                    + "; it must be [N, C, H, W] with fixed C, H and W");
        }
        inputName = in.getName();
        shapes.put(inputName, chw);
    }

    private static String describe(List<Onnx.TensorShapeProto.Dimension> dims) {
        List<String> s = new ArrayList<>();
        for (Onnx.TensorShapeProto.Dimension d : dims) {
            s.add(d.hasDimValue() ? Long.toString(d.getDimValue()) : d.getDimParam().isEmpty() ? "?" : d.getDimParam());
        }
        return s.toString();
    }

    private void putConstant(String name, Onnx.TensorProto t, Onnx.NodeProto node) {
        if (t.getDataLocation() == Onnx.TensorProto.DataLocation.EXTERNAL) {
            throw new BadInputException(source + ": tensor " + name + " keeps its data in an external file;"
                    + " save the model with its weights inside (onnx.save with save_as_external_data=False)");
        }
        long[] dims = t.getDimsList().stream().mapToLong(Long::longValue).toArray();
        long count = 1;
        for (long d : dims) {
            count *= d;
        }
        float[] v = new float[(int) count];
        ByteBuffer raw = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        boolean hasRaw = !t.getRawData().isEmpty();
        if (t.getDataType() == FLOAT) {
            for (int i = 0; i < v.length; i++) {
                v[i] = hasRaw ? raw.getFloat(4 * i) : t.getFloatData(i);
            }
        } else if (t.getDataType() == INT64) {
            for (int i = 0; i < v.length; i++) {
                v[i] = hasRaw ? raw.getLong(8 * i) : t.getInt64Data(i);
            }
        } else {
            String what = "constant " + name + " has element type " + Onnx.TensorProto.DataType.forNumber(
                    t.getDataType()) + "; only float and int64 constants are supported";
            throw node == null ? new BadInputException(source + ": " + what) : error(node, what);
        }
        constants.put(name, v);
        constantDims.put(name, dims);
    }

    /** The constant an input names (through aliases), or null if it is a computed tensor. */
    private float[] constant(String name) {
        return constants.get(resolve(name));
    }

    private float[] requireConstant(Onnx.NodeProto n, int input, String what) {
        if (n.getInputCount() <= input || n.getInput(input).isEmpty()) {
            throw error(n, "needs its " + what + " input");
        }
        float[] v = constant(n.getInput(input));
        if (v == null) {
            throw error(n, "its " + what + " (" + n.getInput(input) + ") must be a constant (an initializer or a"
                    + " Constant node), not computed");
        }
        return v;
    }

    /** A parameter constant taken by node {@code n}; refused if another node took it already. */
    private float[] parameter(Onnx.NodeProto n, int input, String what) {
        float[] v = requireConstant(n, input, what);
        String name = resolve(n.getInput(input));
        String owner = parameterOwner.putIfAbsent(name, nodeName(n));
        if (owner != null) {
            throw error(n, "its " + what + " " + name + " is also used by node " + owner + "; shared weights are"
                    + " not supported (export each layer with its own weights)");
        }
        return v;
    }

    private long[] dims(Onnx.NodeProto n, int input) {
        return constantDims.get(resolve(n.getInput(input)));
    }

    /** The per-image shape of a computed input, materialising the input normalisation where it ends. */
    private String tensorInput(Onnx.NodeProto n, int input) {
        String name = resolve(n.getInput(input));
        if (constants.containsKey(name)) {
            throw error(n, "input " + n.getInput(input) + " is a constant where a computed tensor is expected");
        }
        if (name.equals(chainName) && !chainEmitted) {
            emitChain();
            // the normalisation now writes a tensor of its own, which this node reads instead of the raw input
            name = resolve(n.getInput(input));
        }
        if (!shapes.containsKey(name)) {
            throw error(n, "input " + n.getInput(input) + " is not computed by an earlier node");
        }
        return name;
    }

    private void emitChain() {
        chainEmitted = true;
        boolean identity = chainScale.length == 1 && chainScale[0] == 1f && chainShift[0] == 0f;
        if (identity && chainName.equals(inputName)) {
            return;
        }
        int c = shapes.get(inputName)[0];
        if (chainScale.length != 1 && chainScale.length != c) {
            throw new BadInputException(source + ": the input normalisation has " + chainScale.length
                    + " channels' values but the input has " + c + " channels");
        }
        String out = chainName.equals(inputName) ? inputName + ":normalised" : chainName;
        addNode(out, new ChannelAffine(layerName("normalisation"), chainScale, chainShift), inputName);
        shapes.put(out, shapes.get(inputName));
        if (!out.equals(chainName)) {
            aliases.put(chainName, out);
        }
        chainName = out;
    }

    private String layerName(String wanted) {
        String name = wanted.isBlank() ? "layer" : wanted;
        String n = name;
        for (int i = 2; !layerNames.add(n); i++) {
            n = name + "_" + i;
        }
        return n;
    }

    private void addNode(String output, Layer layer, String input) {
        nodes.add(GraphStage.Node.layer(output, layer, input));
    }

    private long attrInt(Onnx.NodeProto n, String name, long dflt) {
        for (Onnx.AttributeProto a : n.getAttributeList()) {
            if (a.getName().equals(name)) {
                return a.getI();
            }
        }
        return dflt;
    }

    private float attrFloat(Onnx.NodeProto n, String name, float dflt) {
        for (Onnx.AttributeProto a : n.getAttributeList()) {
            if (a.getName().equals(name)) {
                return a.getF();
            }
        }
        return dflt;
    }

    private long[] attrInts(Onnx.NodeProto n, String name) {
        for (Onnx.AttributeProto a : n.getAttributeList()) {
            if (a.getName().equals(name)) {
                return a.getIntsList().stream().mapToLong(Long::longValue).toArray();
            }
        }
        return null;
    }

    private String attrString(Onnx.NodeProto n, String name, String dflt) {
        for (Onnx.AttributeProto a : n.getAttributeList()) {
            if (a.getName().equals(name)) {
                return a.getS().toStringUtf8();
            }
        }
        return dflt;
    }

    private void requireOneOutput(Onnx.NodeProto n) {
        for (int i = 1; i < n.getOutputCount(); i++) {
            if (!n.getOutput(i).isEmpty() && readers.containsKey(n.getOutput(i))) {
                throw error(n, "its output " + n.getOutput(i) + " is read by another node; only the first output"
                        + " of this op is supported");
            }
        }
    }

    /**
     * The activation that follows a weight layer's output: RELU where the output (through a BatchNormalization
     * or a bias Add that is its sole reader) goes only into a Relu; IDENTITY otherwise.
     */
    private Activation activationAfter(String output) {
        Onnx.NodeProto next = soleReader.get(output);
        while (next != null && (next.getOpType().equals("BatchNormalization") || next.getOpType().equals("Add")
                || next.getOpType().equals("Identity") || next.getOpType().equals("Dropout"))) {
            if (next.getOpType().equals("Add") && constant(other(next, output)) == null) {
                return Activation.IDENTITY;
            }
            next = soleReader.get(next.getOutput(0));
        }
        return next != null && next.getOpType().equals("Relu") ? Activation.RELU : Activation.IDENTITY;
    }

    private static String other(Onnx.NodeProto add, String one) {
        return add.getInput(0).equals(one) ? add.getInput(1) : add.getInput(0);
    }

    private void convert(Onnx.NodeProto n) {
        switch (n.getOpType()) {
            case "Constant" -> constantNode(n);
            case "Identity" -> aliasNode(n);
            case "Dropout" -> {
                requireOneOutput(n);
                aliasNode(n);
            }
            case "Sub", "Div", "Mul" -> affineNode(n);
            case "Add" -> addNode(n);
            case "Conv" -> conv(n);
            case "BatchNormalization" -> batchNorm(n);
            case "Relu" -> simple(n, new ReLU(layerName(nodeName(n))));
            case "Clip" -> clip(n);
            case "MaxPool" -> maxPool(n);
            case "AveragePool" -> avgPool(n);
            case "GlobalAveragePool" -> globalAvgPool(n);
            case "Flatten" -> flatten(n);
            case "Reshape" -> reshape(n);
            case "Gemm" -> gemm(n);
            case "MatMul" -> matMul(n);
            default -> throw error(n, "op type " + n.getOpType() + " is not supported; supported: " + SUPPORTED);
        }
    }

    private void constantNode(Onnx.NodeProto n) {
        for (Onnx.AttributeProto a : n.getAttributeList()) {
            switch (a.getName()) {
                case "value" -> putConstant(n.getOutput(0), a.getT(), n);
                case "value_float" -> putScalar(n.getOutput(0), new float[] {a.getF()}, new long[0]);
                case "value_floats" -> putScalar(n.getOutput(0), toArray(a.getFloatsList()),
                        new long[] {a.getFloatsCount()});
                case "value_int" -> putScalar(n.getOutput(0), new float[] {a.getI()}, new long[0]);
                case "value_ints" -> {
                    float[] v = new float[a.getIntsCount()];
                    for (int i = 0; i < v.length; i++) {
                        v[i] = a.getInts(i);
                    }
                    putScalar(n.getOutput(0), v, new long[] {v.length});
                }
                default -> throw error(n, "constant attribute " + a.getName() + " is not supported (value,"
                        + " value_float(s), value_int(s) are)");
            }
        }
    }

    private static float[] toArray(List<Float> list) {
        float[] v = new float[list.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = list.get(i);
        }
        return v;
    }

    private void putScalar(String name, float[] v, long[] dims) {
        constants.put(name, v);
        constantDims.put(name, dims);
    }

    private void aliasNode(Onnx.NodeProto n) {
        String in = resolve(n.getInput(0));
        aliases.put(n.getOutput(0), in);
    }

    /** Sub/Div/Mul (and Add) by a constant: only as part of the input normalisation. */
    private void affineNode(Onnx.NodeProto n) {
        String a = resolve(n.getInput(0));
        String b = resolve(n.getInput(1));
        float[] ca = constants.get(a);
        float[] cb = constants.get(b);
        String op = n.getOpType();
        boolean onChain = !chainEmitted && (a.equals(chainName) && cb != null
                || b.equals(chainName) && ca != null && (op.equals("Mul") || op.equals("Add")));
        if (!onChain) {
            throw error(n, op + " is supported only by a constant on the network's input, before any layer (an"
                    + " input normalisation baked into the graph)");
        }
        if (readers.getOrDefault(chainName, 0) != 1) {
            throw error(n, "the network's input feeds other nodes besides its normalisation");
        }
        float[] c = perChannel(n, ca != null ? ca : cb, ca != null ? dims(n, 0) : dims(n, 1));
        int len = Math.max(c.length, chainScale.length);
        float[] scale = new float[len];
        float[] shift = new float[len];
        for (int i = 0; i < len; i++) {
            float s = chainScale[chainScale.length == 1 ? 0 : i];
            float t = chainShift[chainShift.length == 1 ? 0 : i];
            float k = c[c.length == 1 ? 0 : i];
            switch (op) {
                case "Sub" -> {
                    scale[i] = s;
                    shift[i] = t - k;
                }
                case "Add" -> {
                    scale[i] = s;
                    shift[i] = t + k;
                }
                case "Mul" -> {
                    scale[i] = s * k;
                    shift[i] = t * k;
                }
                default -> {
                    scale[i] = s / k;
                    shift[i] = t / k;
                }
            }
        }
        chainScale = scale;
        chainShift = shift;
        chainName = n.getOutput(0);
        shapes.put(chainName, shapes.get(inputName));
    }

    /** A constant of one value or one per input channel ({@code [C]}, {@code [C,1,1]}, {@code [1,C,1,1]}). */
    private float[] perChannel(Onnx.NodeProto n, float[] c, long[] dims) {
        int channels = shapes.get(inputName)[0];
        if (c.length == 1) {
            return c;
        }
        int nonUnit = 0;
        for (long d : dims) {
            nonUnit += d != 1 ? 1 : 0;
        }
        boolean channelAxis = c.length == channels && nonUnit == 1 && (dims.length == 1
                || dims.length >= 3 && dims[dims.length - 3] == channels);
        if (!channelAxis) {
            throw error(n, "its constant has shape " + Arrays.toString(dims) + "; only one value or one per input"
                    + " channel (" + channels + ") is supported");
        }
        return c;
    }

    private void addNode(Onnx.NodeProto n) {
        String a = resolve(n.getInput(0));
        String b = resolve(n.getInput(1));
        boolean ca = constants.containsKey(a);
        boolean cb = constants.containsKey(b);
        if (ca && cb) {
            throw error(n, "adds two constants; fold them at export (do_constant_folding=True)");
        }
        if (ca || cb) {
            String t = ca ? b : a;
            if (pendingMatMul.containsKey(t)) {
                float[] bias = parameter(n, ca ? 0 : 1, "bias");
                Object[] mm = pendingMatMul.get(t);
                int nOut = ((Tensor) mm[0]).dim(1);
                if (bias.length != nOut) {
                    throw error(n, "its bias has " + bias.length + " values but the MatMul before it has " + nOut
                            + " outputs");
                }
                emitDense(t, bias);
                aliases.put(n.getOutput(0), t);
                return;
            }
            affineNode(n);
            return;
        }
        String x = tensorInput(n, 0);
        String y = tensorInput(n, 1);
        if (!Arrays.equals(shapes.get(x), shapes.get(y))) {
            throw error(n, "adds tensors of shapes " + Arrays.toString(shapes.get(x)) + " and "
                    + Arrays.toString(shapes.get(y)) + "; only same-shape adds (residual connections) are supported");
        }
        nodes.add(GraphStage.Node.add(n.getOutput(0), x, y));
        shapes.put(n.getOutput(0), shapes.get(x));
    }

    private void simple(Onnx.NodeProto n, Layer layer) {
        String in = tensorInput(n, 0);
        addNode(n.getOutput(0), layer, in);
        shapes.put(n.getOutput(0), shapes.get(in));
    }

    private int[] spatial(Onnx.NodeProto n, String what, int dflt) {
        long[] v = attrInts(n, what);
        if (v == null) {
            return new int[] {dflt, dflt, dflt, dflt};
        }
        int[] r = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            r[i] = (int) v[i];
        }
        return r;
    }

    private void requireNoAutoPad(Onnx.NodeProto n) {
        String autoPad = attrString(n, "auto_pad", "NOTSET");
        if (!autoPad.equals("NOTSET")) {
            throw error(n, "auto_pad " + autoPad + " is not supported; export with explicit pads");
        }
    }

    private void conv(Onnx.NodeProto n) {
        requireNoAutoPad(n);
        String in = tensorInput(n, 0);
        int[] inShape = shapes.get(in);
        if (inShape.length != 3) {
            throw error(n, "its input has per-image shape " + Arrays.toString(inShape) + "; Conv needs [C, H, W]");
        }
        float[] w = parameter(n, 1, "weight");
        long[] wd = dims(n, 1);
        float[] b = n.getInputCount() > 2 && !n.getInput(2).isEmpty() ? parameter(n, 2, "bias") : null;
        int groups = (int) attrInt(n, "group", 1);
        int[] strides = spatial(n, "strides", 1);
        int[] pads = spatial(n, "pads", 0);
        int[] dil = spatial(n, "dilations", 1);
        if (wd.length != 4 || wd[2] != wd[3]) {
            throw error(n, "its weight has shape " + Arrays.toString(wd) + "; only 2-D convolutions with square"
                    + " kernels [out, in/groups, k, k] are supported");
        }
        if (strides[0] != strides[1] || pads[0] != pads[1] || pads[0] != pads[2] || pads[0] != pads[3]
                || dil[0] != 1 || dil[1] != 1) {
            throw error(n, "strides " + Arrays.toString(strides) + ", pads " + Arrays.toString(pads) + ", dilations "
                    + Arrays.toString(dil) + ": only equal strides, the same pad on every side and dilation 1 are"
                    + " supported");
        }
        if (inShape[0] != wd[1] * groups) {
            throw error(n, "its input has " + inShape[0] + " channels but its weight " + Arrays.toString(wd)
                    + " with group " + groups + " expects " + wd[1] * groups);
        }
        Conv2d conv;
        try {
            conv = new Conv2d(layerName(nodeName(n)), new Tensor(w, (int) wd[0], (int) wd[1], (int) wd[2],
                    (int) wd[3]), b, strides[0], pads[0], groups, activationAfter(n.getOutput(0)));
        } catch (IllegalArgumentException e) {
            throw error(n, e.getMessage());
        }
        int oh = conv.shape().outSize(inShape[1]);
        int ow = conv.shape().outSize(inShape[2]);
        if (oh < 1 || ow < 1) {
            throw error(n, "its input " + Arrays.toString(inShape) + " is smaller than its kernel");
        }
        addNode(n.getOutput(0), conv, in);
        shapes.put(n.getOutput(0), new int[] {(int) wd[0], oh, ow});
    }

    private void batchNorm(Onnx.NodeProto n) {
        requireOneOutput(n);
        if (attrInt(n, "training_mode", 0) != 0) {
            throw error(n, "training_mode=1; export the model in eval mode");
        }
        String in = tensorInput(n, 0);
        int[] shape = shapes.get(in);
        float[] gamma = parameter(n, 1, "scale");
        float[] beta = parameter(n, 2, "bias");
        float[] mean = parameter(n, 3, "mean");
        float[] var = parameter(n, 4, "variance").clone();
        if (shape.length != 3 || gamma.length != shape[0]) {
            throw error(n, "its input has per-image shape " + Arrays.toString(shape) + " but its scale has "
                    + gamma.length + " values; only BatchNormalization over the channels of [N, C, H, W] is"
                    + " supported");
        }
        // The engine's BatchNorm uses ONNX's default epsilon; another epsilon moves into the variance, which
        // computes the same sqrt(var + eps).
        float eps = attrFloat(n, "epsilon", DEFAULT_BN_EPSILON);
        if (eps != DEFAULT_BN_EPSILON) {
            for (int i = 0; i < var.length; i++) {
                var[i] = (float) (var[i] + (double) eps - BatchNorm2d.EPS);
            }
        }
        try {
            simple(n, new BatchNorm2d(layerName(nodeName(n)), gamma, beta, mean, var));
        } catch (IllegalArgumentException e) {
            throw error(n, e.getMessage());
        }
    }

    private void clip(Onnx.NodeProto n) {
        float min = Float.NEGATIVE_INFINITY;
        float max = Float.POSITIVE_INFINITY;
        if (n.getInputCount() > 1 && !n.getInput(1).isEmpty()) {
            min = scalar(n, requireConstant(n, 1, "min"), "min");
        }
        if (n.getInputCount() > 2 && !n.getInput(2).isEmpty()) {
            max = scalar(n, requireConstant(n, 2, "max"), "max");
        }
        try {
            simple(n, new Clip(layerName(nodeName(n)), min, max));
        } catch (IllegalArgumentException e) {
            throw error(n, e.getMessage());
        }
    }

    private float scalar(Onnx.NodeProto n, float[] v, String what) {
        if (v.length != 1) {
            throw error(n, "its " + what + " has " + v.length + " values; it must be one");
        }
        return v[0];
    }

    private void maxPool(Onnx.NodeProto n) {
        requireOneOutput(n);
        requireNoAutoPad(n);
        int[] k = spatial(n, "kernel_shape", 0);
        int[] s = spatial(n, "strides", 1);
        int[] p = spatial(n, "pads", 0);
        int[] d = spatial(n, "dilations", 1);
        boolean twoByTwo = k.length == 2 && k[0] == 2 && k[1] == 2 && s[0] == 2 && s[1] == 2
                && Arrays.stream(p).allMatch(v -> v == 0) && d[0] == 1 && d[1] == 1
                && attrInt(n, "ceil_mode", 0) == 0 && attrInt(n, "storage_order", 0) == 0;
        if (!twoByTwo) {
            throw error(n, "kernel " + Arrays.toString(k) + ", strides " + Arrays.toString(s) + ", pads "
                    + Arrays.toString(p) + ": only 2x2 max pooling with stride 2, no padding, dilation 1 and floor"
                    + " mode is supported");
        }
        String in = tensorInput(n, 0);
        int[] shape = shapes.get(in);
        addNode(n.getOutput(0), new MaxPool2d(layerName(nodeName(n))), in);
        shapes.put(n.getOutput(0), new int[] {shape[0], shape[1] / 2, shape[2] / 2});
    }

    private void avgPool(Onnx.NodeProto n) {
        requireNoAutoPad(n);
        int[] k = spatial(n, "kernel_shape", 0);
        int[] s = spatial(n, "strides", 1);
        int[] p = spatial(n, "pads", 0);
        if (k.length != 2 || s.length != 2 || p.length != 4 || p[0] != p[2] || p[1] != p[3]) {
            throw error(n, "kernel " + Arrays.toString(k) + ", strides " + Arrays.toString(s) + ", pads "
                    + Arrays.toString(p) + ": only 2-D pooling with the same pad at both ends of an axis is"
                    + " supported");
        }
        if (attrInt(n, "ceil_mode", 0) != 0) {
            throw error(n, "ceil_mode=1 is not supported; export with ceil_mode=False");
        }
        if (attrInt(n, "count_include_pad", 0) != 0 && (p[0] != 0 || p[1] != 0)) {
            throw error(n, "count_include_pad=1 with padding is not supported; export with"
                    + " count_include_pad=False");
        }
        String in = tensorInput(n, 0);
        int[] shape = shapes.get(in);
        AvgPool2d pool;
        try {
            pool = new AvgPool2d(layerName(nodeName(n)), k[0], k[1], s[0], s[1], p[0], p[1]);
        } catch (IllegalArgumentException e) {
            throw error(n, e.getMessage());
        }
        int oh = (shape[1] + 2 * p[0] - k[0]) / s[0] + 1;
        int ow = (shape[2] + 2 * p[1] - k[1]) / s[1] + 1;
        if (shape[1] + 2 * p[0] < k[0] || shape[2] + 2 * p[1] < k[1]) {
            throw error(n, "its input " + Arrays.toString(shape) + " is smaller than its kernel");
        }
        addNode(n.getOutput(0), pool, in);
        shapes.put(n.getOutput(0), new int[] {shape[0], oh, ow});
    }

    /**
     * GlobalAveragePool gives {@code [N, C, 1, 1]} in ONNX; the engine's gives {@code [N, C]}, the same values,
     * so the Flatten or Reshape that follows in every classifier becomes a no-op.
     */
    private void globalAvgPool(Onnx.NodeProto n) {
        String in = tensorInput(n, 0);
        int[] shape = shapes.get(in);
        if (shape.length != 3) {
            throw error(n, "its input has per-image shape " + Arrays.toString(shape) + "; it needs [C, H, W]");
        }
        addNode(n.getOutput(0), new GlobalAvgPool(layerName(nodeName(n))), in);
        shapes.put(n.getOutput(0), new int[] {shape[0]});
    }

    private void flatten(Onnx.NodeProto n) {
        if (attrInt(n, "axis", 1) != 1) {
            throw error(n, "axis " + attrInt(n, "axis", 1) + ": only Flatten with axis 1 (to [N, features]) is"
                    + " supported");
        }
        flattenTo(n);
    }

    private void flattenTo(Onnx.NodeProto n) {
        String in = tensorInput(n, 0);
        int[] shape = shapes.get(in);
        int size = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        if (shape.length == 1) {
            aliases.put(n.getOutput(0), in);
            shapes.put(n.getOutput(0), new int[] {size});
            return;
        }
        addNode(n.getOutput(0), new Flatten(layerName(nodeName(n))), in);
        shapes.put(n.getOutput(0), new int[] {size});
    }

    private void reshape(Onnx.NodeProto n) {
        float[] target = requireConstant(n, 1, "shape");
        String in = resolve(n.getInput(0));
        int[] shape = shapes.get(in);
        if (shape == null) {
            throw error(n, "input " + n.getInput(0) + " is not computed by an earlier node");
        }
        int size = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        boolean toFlat = target.length == 2 && (target[0] == -1 || target[0] == 0)
                && (target[1] == -1 || target[1] == size) && !(target[0] == -1 && target[1] == -1);
        if (!toFlat) {
            throw error(n, "target shape " + Arrays.toString(target) + " for per-image shape " + Arrays.toString(shape)
                    + ": only a reshape to [N, -1] (or [-1, " + size + "], [0, -1]) is supported");
        }
        flattenTo(n);
    }

    private void gemm(Onnx.NodeProto n) {
        if (attrFloat(n, "alpha", 1f) != 1f || attrFloat(n, "beta", 1f) != 1f || attrInt(n, "transA", 0) != 0) {
            throw error(n, "only Gemm with alpha = beta = 1 and transA = 0 is supported");
        }
        String in = tensorInput(n, 0);
        int[] shape = shapes.get(in);
        float[] w = parameter(n, 1, "weight");
        long[] wd = dims(n, 1);
        boolean transB = attrInt(n, "transB", 0) != 0;
        if (shape.length != 1 || wd.length != 2 || (transB ? wd[1] : wd[0]) != shape[0]) {
            throw error(n, "its input has per-image shape " + Arrays.toString(shape) + " and its weight "
                    + Arrays.toString(wd) + " (transB " + (transB ? 1 : 0) + "); they do not multiply");
        }
        int nIn = shape[0];
        int nOut = (int) (transB ? wd[0] : wd[1]);
        float[] weight = transB ? transpose(w, nOut, nIn) : w.clone();
        float[] b = null;
        if (n.getInputCount() > 2 && !n.getInput(2).isEmpty()) {
            b = parameter(n, 2, "bias");
            if (b.length == 1 && nOut != 1) {
                float[] full = new float[nOut];
                Arrays.fill(full, b[0]);
                b = full;
            } else if (b.length != nOut) {
                throw error(n, "its bias has " + b.length + " values but it has " + nOut + " outputs");
            }
        }
        Dense d = new Dense(layerName(nodeName(n)), new Tensor(weight, nIn, nOut), b,
                activationAfter(n.getOutput(0)));
        addNode(n.getOutput(0), d, in);
        shapes.put(n.getOutput(0), new int[] {nOut});
    }

    private static float[] transpose(float[] w, int rows, int cols) {
        float[] t = new float[w.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                t[c * rows + r] = w[r * cols + c];
            }
        }
        return t;
    }

    /** MatMul by a constant [nIn, nOut]: a Dense layer, emitted when its bias Add (if any) is known. */
    private void matMul(Onnx.NodeProto n) {
        String in = tensorInput(n, 0);
        int[] shape = shapes.get(in);
        float[] w = parameter(n, 1, "weight");
        long[] wd = dims(n, 1);
        if (shape.length != 1 || wd.length != 2 || wd[0] != shape[0]) {
            throw error(n, "its input has per-image shape " + Arrays.toString(shape) + " and its weight "
                    + Arrays.toString(wd) + "; only [N, K] times a constant [K, M] is supported");
        }
        String out = n.getOutput(0);
        pendingMatMul.put(out, new Object[] {new Tensor(w.clone(), (int) wd[0], (int) wd[1]), nodeName(n), in});
        shapes.put(out, new int[] {(int) wd[1]});
        Onnx.NodeProto next = soleReader.get(out);
        boolean biasFollows = next != null && next.getOpType().equals("Add")
                && constant(other(next, out)) != null;
        if (!biasFollows) {
            emitDense(out, null);
        }
    }

    private void emitDense(String out, float[] bias) {
        Object[] mm = pendingMatMul.remove(out);
        Dense d = new Dense(layerName((String) mm[1]), (Tensor) mm[0], bias, activationAfter(out));
        addNode(out, d, (String) mm[2]);
    }
}
