package org.ternsweep.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * ResNet basic block (He et al. 2016, "Deep residual learning for image recognition"):
 * {@code relu(bn2(conv2(relu(bn1(conv1(x))))) + shortcut(x))}, where the shortcut is the identity or
 * {@code bn(conv1×1 stride s)} when the shape changes. After {@link #foldBatchNorm()} the BatchNorms are
 * null and their effect lives in the convs' biases. It is one layer and one stage (BrecQ's block).
 * Sub-layer names: {@code <block>.conv1}, {@code .bn1}, {@code .relu1}, {@code .conv2}, {@code .bn2},
 * {@code .shortcut}, {@code .shortcut_bn}, {@code .relu}.
 */
public final class ResidualBlock extends Layer implements Stage {
    private final Conv2d conv1;
    private final BatchNorm2d bn1;
    private final ReLU relu1;
    private final Conv2d conv2;
    private final BatchNorm2d bn2;
    private final Conv2d shortcut;
    private final BatchNorm2d shortcutBn;
    private final ReLU relu;

    /**
     * A block from its parts; the BatchNorms may be null (folded), {@code shortcut} is null for the
     * identity shortcut ({@code shortcutBn} must then be null too).
     */
    public ResidualBlock(String name, Conv2d conv1, BatchNorm2d bn1, Conv2d conv2, BatchNorm2d bn2,
                         Conv2d shortcut, BatchNorm2d shortcutBn) {
        super(name);
        if (conv1 == null || conv2 == null) {
            throw new IllegalArgumentException("residual block " + name + " needs conv1 and conv2");
        }
        if (shortcut == null && shortcutBn != null) {
            throw new IllegalArgumentException("residual block " + name + " has a shortcut BatchNorm but no shortcut conv");
        }
        if (shortcut == null && (conv1.inChannels() != conv2.outChannels() || conv1.stride() != 1)) {
            throw new IllegalArgumentException("residual block " + name + " changes shape (" + conv1.inChannels()
                    + "→" + conv2.outChannels() + ", stride " + conv1.stride() + ") so it needs a shortcut conv");
        }
        this.conv1 = conv1;
        this.bn1 = bn1;
        this.relu1 = new ReLU(name + ".relu1");
        this.conv2 = conv2;
        this.bn2 = bn2;
        this.shortcut = shortcut;
        this.shortcutBn = shortcutBn;
        this.relu = new ReLU(name + ".relu");
    }

    /** A block with zero-initialised convs (3×3, no bias) and fresh BatchNorms; the zoo fills the weights. */
    public static ResidualBlock create(String name, int in, int out, int stride) {
        Conv2d c1 = new Conv2d(name + ".conv1", in, out, 3, stride, 1, false, Activation.RELU);
        Conv2d c2 = new Conv2d(name + ".conv2", out, out, 3, 1, 1, false, Activation.IDENTITY);
        Conv2d sc = null;
        BatchNorm2d sbn = null;
        if (in != out || stride != 1) {
            sc = new Conv2d(name + ".shortcut", in, out, 1, stride, 0, false, Activation.IDENTITY);
            sbn = new BatchNorm2d(name + ".shortcut_bn", out);
        }
        return new ResidualBlock(name, c1, new BatchNorm2d(name + ".bn1", out), c2,
                new BatchNorm2d(name + ".bn2", out), sc, sbn);
    }

    public Conv2d conv1() {
        return conv1;
    }

    /** Null once folded. */
    public BatchNorm2d bn1() {
        return bn1;
    }

    public Conv2d conv2() {
        return conv2;
    }

    /** Null once folded. */
    public BatchNorm2d bn2() {
        return bn2;
    }

    /** Null for the identity shortcut. */
    public Conv2d shortcut() {
        return shortcut;
    }

    /** Null for the identity shortcut or once folded. */
    public BatchNorm2d shortcutBn() {
        return shortcutBn;
    }

    /** Binds the block and every layer inside it. */
    @Override
    public void bind(Engine engine) {
        super.bind(engine);
        for (Layer l : layers()) {
            l.bind(engine);
        }
    }

    /** {@code block} with this block's binding, when this block is bound (its new ReLUs are not yet). */
    private ResidualBlock boundLikeThis(ResidualBlock block) {
        if (boundEngine() != null) {
            block.bind(boundEngine());
        }
        return block;
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        Tensor a = conv1.forward(x, training);
        if (bn1 != null) {
            a = bn1.forward(a, training);
        }
        a = relu1.forwardInPlace(a); // a is conv1's (or bn1's) fresh output: no layer keeps its own output
        Tensor b = conv2.forward(a, training);
        if (bn2 != null) {
            b = bn2.forward(b, training);
        }
        Tensor s = x;
        if (shortcut != null) {
            s = shortcut.forward(x, training);
            if (shortcutBn != null) {
                s = shortcutBn.forward(s, training);
            }
        }
        if (s.size() != b.size()) {
            throw new IllegalArgumentException("residual block " + name() + ": main path gives " + b
                    + " but shortcut gives " + s);
        }
        // the sum goes into b, the main path's fresh output (s may be the caller's x and stays untouched)
        float[] bv = b.data();
        float[] sv = s.data();
        for (int i = 0; i < bv.length; i++) {
            bv[i] += sv[i];
        }
        return relu.forwardInPlace(b);
    }

    @Override
    public Tensor backward(Tensor gradOut) {
        return backward(gradOut, true);
    }

    /** Backward; without {@code inputGradient} the convs skip their dL/dx products and null is returned. */
    @Override
    public Tensor backward(Tensor gradOut, boolean inputGradient) {
        Tensor g = relu.backward(gradOut);
        Tensor gm = bn2 == null ? g : bn2.backward(g);
        gm = conv2.backward(gm);
        gm = relu1.backward(gm);
        if (bn1 != null) {
            gm = bn1.backward(gm);
        }
        Tensor dx = conv1.backward(gm, inputGradient);
        Tensor ds = g;
        if (shortcut != null) {
            ds = shortcutBn == null ? g : shortcutBn.backward(g);
            ds = shortcut.backward(ds, inputGradient);
        }
        if (!inputGradient) {
            return null;
        }
        float[] d = dx.data();
        float[] e = ds.data();
        for (int i = 0; i < d.length; i++) {
            d[i] += e[i];
        }
        return dx;
    }

    @Override
    public List<Layer> layers() {
        List<Layer> ls = new ArrayList<>();
        ls.add(conv1);
        if (bn1 != null) {
            ls.add(bn1);
        }
        ls.add(relu1);
        ls.add(conv2);
        if (bn2 != null) {
            ls.add(bn2);
        }
        if (shortcut != null) {
            ls.add(shortcut);
        }
        if (shortcutBn != null) {
            ls.add(shortcutBn);
        }
        ls.add(relu);
        return ls;
    }

    @Override
    public List<Param> params() {
        return Stage.super.params();
    }

    @Override
    public List<WeightLayer> weightLayers() {
        return shortcut == null ? List.of(conv1, conv2) : List.of(conv1, conv2, shortcut);
    }

    @Override
    public ResidualBlock copy() {
        return boundLikeThis(new ResidualBlock(name(), conv1.copy(), bn1 == null ? null : bn1.copy(), conv2.copy(),
                bn2 == null ? null : bn2.copy(), shortcut == null ? null : shortcut.copy(),
                shortcutBn == null ? null : shortcutBn.copy()));
    }

    @Override
    public ResidualBlock foldBatchNorm() {
        Conv2d c1 = bn1 == null ? conv1.copy() : BatchNormFolding.fold(conv1, bn1);
        Conv2d c2 = bn2 == null ? conv2.copy() : BatchNormFolding.fold(conv2, bn2);
        Conv2d sc = shortcut == null ? null
                : shortcutBn == null ? shortcut.copy() : BatchNormFolding.fold(shortcut, shortcutBn);
        return boundLikeThis(new ResidualBlock(name(), c1, null, c2, null, sc, null));
    }
}
