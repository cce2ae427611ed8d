package org.ternsweep.methods;

import java.util.ArrayList;
import java.util.List;
import org.ternsweep.engine.Stage;
import org.ternsweep.engine.Tensor;
import org.ternsweep.engine.WeightLayer;

/**
 * Activations of the whole calibration set, computed once per layer or block in chunks (spec §4.2
 * "Data": the reconstruction then only gathers batches from these tensors, it never re-runs the
 * prefix of the network). Tensors are stacked along the leading (image) dimension.
 */
final class Activations {
    /** Images per forward chunk: bounds the engine's temporary buffers. */
    static final int CHUNK = 256;

    private Activations() {
    }

    /** The stage's output on every image of {@code all}. */
    static Tensor stageOutput(Stage stage, Tensor all) {
        List<Tensor> parts = new ArrayList<>();
        for (int from = 0; from < all.dim(0); from += CHUNK) {
            parts.add(stage.forward(all.slice(from, Math.min(all.dim(0), from + CHUNK)), false));
        }
        return concat(parts);
    }

    /** The input that {@code layer} (a weight layer of {@code stage}) sees when the stage runs on {@code all}. */
    static Tensor layerInput(Stage stage, WeightLayer layer, Tensor all) {
        List<Tensor> parts = new ArrayList<>();
        for (int from = 0; from < all.dim(0); from += CHUNK) {
            stage.forward(all.slice(from, Math.min(all.dim(0), from + CHUNK)), false);
            parts.add(layer.lastInputTensor());
        }
        return concat(parts);
    }

    /** {@code f(W x + b)}: the layer's output followed by its activation, on every row of {@code inputs}. */
    static Tensor activatedOutput(WeightLayer layer, Tensor inputs) {
        List<Tensor> parts = new ArrayList<>();
        for (int from = 0; from < inputs.dim(0); from += CHUNK) {
            Tensor y = layer.forward(inputs.slice(from, Math.min(inputs.dim(0), from + CHUNK)), false).copy();
            layer.activation().applyInPlace(y.data());
            parts.add(y);
        }
        return concat(parts);
    }

    /** Rows {@code idx} of {@code all}, copied into a new tensor. */
    static Tensor gather(Tensor all, int[] idx) {
        int per = all.size() / all.dim(0);
        float[] src = all.data();
        float[] out = new float[idx.length * per];
        for (int i = 0; i < idx.length; i++) {
            System.arraycopy(src, idx[i] * per, out, i * per, per);
        }
        int[] shape = all.shape();
        shape[0] = idx.length;
        return new Tensor(out, shape);
    }

    /** Stacks tensors of equal trailing shape along the leading dimension. */
    static Tensor concat(List<Tensor> parts) {
        if (parts.size() == 1) {
            return parts.get(0);
        }
        int rows = 0;
        int size = 0;
        for (Tensor t : parts) {
            rows += t.dim(0);
            size += t.size();
        }
        float[] out = new float[size];
        int off = 0;
        for (Tensor t : parts) {
            System.arraycopy(t.data(), 0, out, off, t.size());
            off += t.size();
        }
        int[] shape = parts.get(0).shape();
        shape[0] = rows;
        return new Tensor(out, shape);
    }
}
