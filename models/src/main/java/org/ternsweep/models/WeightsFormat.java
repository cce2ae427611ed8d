package org.ternsweep.models;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.ternsweep.data.InputShape;
import org.ternsweep.engine.BatchNorm2d;
import org.ternsweep.engine.Layer;
import org.ternsweep.engine.Network;
import org.ternsweep.engine.WeightLayer;

/**
 * The model cache's weights payload: every array of a network's state, float32 little-endian, one after
 * the other without padding, in the order of {@link #state}. A payload is plain numbers: reading one
 * cannot run code, only fill arrays of a network that {@link ModelZoo} built (the architecture and every
 * array's name and shape are checked against that network before a byte is used).
 *
 * <p>State order: for each layer in {@link Network#layers()} order, a weight layer's {@code <layer>.W}
 * then {@code <layer>.b} (if it has a bias), a BatchNorm layer's {@code <bn>.gamma}, {@code <bn>.beta},
 * {@code <bn>.running_mean}, {@code <bn>.running_var}.
 */
final class WeightsFormat {
    /** The header's {@code dtype}: IEEE 754 binary32, little-endian. */
    static final String DTYPE = "float32-le";

    /** One array of a network's state, sharing the network's storage. */
    record Array(String name, int[] shape, float[] values) {
        long bytes() {
            return 4L * values.length;
        }
    }

    private WeightsFormat() {
    }

    /** The arrays that make up {@code net}'s state, in payload order; the values are the network's own. */
    static List<Array> state(Network net) {
        List<Array> out = new ArrayList<>();
        for (Layer l : net.layers()) {
            if (l instanceof WeightLayer w) {
                out.add(new Array(w.weight().name(), w.weight().shape(), w.weight().valueFloats()));
                if (w.bias() != null) {
                    out.add(new Array(w.bias().name(), w.bias().shape(), w.bias().valueFloats()));
                }
            } else if (l instanceof BatchNorm2d bn) {
                int[] c = {bn.channels()};
                out.add(new Array(bn.gamma().name(), bn.gamma().shape(), bn.gamma().valueFloats()));
                out.add(new Array(bn.beta().name(), bn.beta().shape(), bn.beta().valueFloats()));
                out.add(new Array(bn.name() + ".running_mean", c, bn.runningMean()));
                out.add(new Array(bn.name() + ".running_var", c, bn.runningVar()));
            }
        }
        return out;
    }

    /** The payload of {@code net}. */
    static byte[] encode(Network net) {
        List<Array> arrays = state(net);
        long total = arrays.stream().mapToLong(Array::bytes).sum();
        if (total > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("network " + net.architecture() + " has " + total
                    + " bytes of state, more than one payload holds");
        }
        ByteBuffer buf = ByteBuffer.allocate((int) total).order(ByteOrder.LITTLE_ENDIAN);
        for (Array a : arrays) {
            for (float v : a.values()) {
                buf.putInt(Float.floatToRawIntBits(v));
            }
        }
        return buf.array();
    }

    /**
     * A network of {@code architecture} for {@code input} holding the payload's values, after checking that the
     * header's arrays ({@code names}, {@code shapes}) are exactly the zoo network's and that the payload has
     * exactly their size.
     *
     * @throws IllegalArgumentException naming the first difference
     */
    static Network decode(String architecture, InputShape input, List<String> names, List<int[]> shapes,
                          byte[] payload) {
        Network net = ModelZoo.build(architecture, input, 0);
        List<Array> arrays = state(net);
        if (names.size() != arrays.size()) {
            throw new IllegalArgumentException("the header lists " + names.size() + " arrays but " + architecture
                    + " has " + arrays.size());
        }
        long total = 0;
        for (int i = 0; i < arrays.size(); i++) {
            Array a = arrays.get(i);
            if (!a.name().equals(names.get(i)) || !Arrays.equals(a.shape(), shapes.get(i))) {
                throw new IllegalArgumentException("array " + i + " is " + names.get(i) + " "
                        + Arrays.toString(shapes.get(i)) + " in the header but " + a.name() + " "
                        + Arrays.toString(a.shape()) + " in " + architecture);
            }
            total += a.bytes();
        }
        if (payload.length != total) {
            throw new IllegalArgumentException("the payload has " + payload.length + " bytes but " + architecture
                    + "'s arrays take " + total);
        }
        ByteBuffer buf = ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN);
        for (Array a : arrays) {
            float[] v = a.values();
            for (int j = 0; j < v.length; j++) {
                v[j] = Float.intBitsToFloat(buf.getInt());
            }
        }
        return net;
    }
}
