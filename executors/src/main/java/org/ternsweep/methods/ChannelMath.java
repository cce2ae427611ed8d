package org.ternsweep.methods;

import org.ternsweep.engine.WeightLayer;

/**
 * Per-channel views of DL4J weight layouts on plain arrays: conv {@code [out, in, kh, kw]} and dense
 * {@code [nIn, nOut]}. A dense layer that follows a flatten of C channels sees each channel as
 * {@code nIn / C} consecutive input rows (C-order flatten).
 */
final class ChannelMath {
    private ChannelMath() {
    }

    /** A copy of the layer's weight values. */
    static float[] read(WeightLayer l) {
        return l.weight().valueFloats().clone();
    }

    static void write(WeightLayer l, float[] values) {
        l.weight().setValue(values);
    }

    static long[] shape(WeightLayer l) {
        return java.util.Arrays.stream(l.weight().shape()).asLongStream().toArray();
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
