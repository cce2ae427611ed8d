package org.ternsweep.engine;

import java.util.ArrayList;
import java.util.List;

/** A stage that applies its layers one after another (e.g. conv, ReLU, max-pool). */
public final class SequentialStage implements Stage {
    private final String name;
    private final List<Layer> layers;

    public SequentialStage(String name, List<? extends Layer> layers) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("stage name must not be blank");
        }
        if (layers == null || layers.isEmpty()) {
            throw new IllegalArgumentException("stage " + name + " needs at least one layer");
        }
        this.name = name;
        this.layers = List.copyOf(layers);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void bind(Engine engine) {
        for (Layer l : layers) {
            l.bind(engine);
        }
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        Tensor t = x;
        Layer previous = null;
        for (Layer l : layers) {
            // a ReLU or Clip may overwrite what the layer before it produced, when that layer made a fresh
            // array and keeps no reference to it (ReLU and Clip keep their outputs, Flatten returns a view),
            // and never the stage's input, which belongs to the caller
            boolean owned = t.data() != x.data() && (previous instanceof WeightLayer
                    || previous instanceof BatchNorm2d || previous instanceof ChannelAffine);
            if (owned && l instanceof ReLU r) {
                t = r.forwardInPlace(t);
            } else if (owned && l instanceof Clip c) {
                t = c.forwardInPlace(t);
            } else {
                t = l.forward(t, training);
            }
            previous = l;
        }
        return t;
    }

    @Override
    public Tensor backward(Tensor gradOut) {
        Tensor g = gradOut;
        for (int i = layers.size() - 1; i >= 0; i--) {
            g = layers.get(i).backward(g);
        }
        return g;
    }

    @Override
    public Tensor backward(Tensor gradOut, boolean inputGradient) {
        Tensor g = gradOut;
        for (int i = layers.size() - 1; i >= 0; i--) {
            g = layers.get(i).backward(g, inputGradient || i > 0);
        }
        return g;
    }

    @Override
    public List<WeightLayer> weightLayers() {
        List<WeightLayer> ws = new ArrayList<>();
        for (Layer l : layers) {
            if (l instanceof WeightLayer w) {
                ws.add(w);
            }
        }
        return ws;
    }

    @Override
    public List<Layer> layers() {
        return layers;
    }

    @Override
    public SequentialStage copy() {
        List<Layer> cs = new ArrayList<>();
        for (Layer l : layers) {
            cs.add(l.copy());
        }
        return new SequentialStage(name, cs);
    }

    @Override
    public SequentialStage foldBatchNorm() {
        List<Layer> out = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            Layer l = layers.get(i);
            if (l instanceof Conv2d c && i + 1 < layers.size() && layers.get(i + 1) instanceof BatchNorm2d bn) {
                out.add(BatchNormFolding.fold(c, bn));
                i++;
            } else if (l instanceof BatchNorm2d) {
                throw new IllegalStateException("stage " + name + ": BatchNorm " + l.name()
                        + " does not follow a conv, so it cannot be folded");
            } else {
                out.add(l.copy());
            }
        }
        return new SequentialStage(name, out);
    }
}
