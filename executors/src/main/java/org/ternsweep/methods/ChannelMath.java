package org.ternsweep.methods;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.ternsweep.engine.Tensor;
import org.ternsweep.engine.WeightLayer;

/**
 * Per-channel views of DL4J weight layouts on plain arrays: conv {@code [out, in, kh, kw]} and dense
 * {@code [nIn, nOut]}. A dense layer that follows a flatten of C channels sees each channel as
 * {@code nIn / C} consecutive input rows (C-order flatten).
 */
final class ChannelMath {
    private ChannelMath() {
    }

    static float[] read(WeightLayer l) {
        return Tensor.readFloats(l.weight().value());
    }

    static void write(WeightLayer l, float[] values) {
        INDArray w = l.weight().value();
        w.assign(Nd4j.create(values, w.shape(), 'c'));
    }

    static long[] shape(WeightLayer l) {
        return l.weight().value().shape();
    }

    /** Number of output channels. */
    static int outChannels(WeightLayer l) {
        return (int) shape(l)[l.outputAxis()];
    }

    /** Number of input rows/channels as the weight sees them (dense: nIn, conv: in). */
    static int inRows(WeightLayer l) {
        long[] s = shape(l);
        return (int) (l.outputAxis() == 0 ? s[1] : s[0]);
    }

    /** Output channel of flat C-order index {@code i}. */
    static int outChannelOf(WeightLayer l, long[] s, int i) {
        if (l.outputAxis() == 0) {
            return (int) (i / (s[1] * s[2] * s[3]));
        }
        return (int) (i % s[1]);
    }

    /** Input row of flat index {@code i} (conv: input channel; dense: input feature). */
    static int inRowOf(WeightLayer l, long[] s, int i) {
        if (l.outputAxis() == 0) {
            return (int) ((i / (s[2] * s[3])) % s[1]);
        }
        return (int) (i / s[1]);
    }
}
