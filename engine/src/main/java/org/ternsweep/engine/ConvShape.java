package org.ternsweep.engine;

/**
 * The fixed geometry of one convolution layer: NCHW input with {@code in} channels, {@code out} output
 * channels, a square {@code kernel}, {@code stride}, symmetric zero padding {@code pad}, whether it has a
 * bias, and {@code groups}: the input and output channels split into that many groups, output group g seeing
 * only input group g ({@code groups == in} is a depthwise convolution). Weights are
 * {@code [out, in / groups, kernel, kernel]} in C order, the bias {@code [out]}.
 */
public record ConvShape(int in, int out, int kernel, int stride, int pad, boolean bias, int groups) {
    public ConvShape {
        if (in < 1 || out < 1 || kernel < 1 || stride < 1 || pad < 0) {
            throw new IllegalArgumentException("convolution needs in, out, kernel, stride >= 1 and pad >= 0, got in "
                    + in + " out " + out + " kernel " + kernel + " stride " + stride + " pad " + pad);
        }
        if (groups < 1 || in % groups != 0 || out % groups != 0) {
            throw new IllegalArgumentException("convolution groups must be >= 1 and divide both in (" + in
                    + ") and out (" + out + "), got " + groups);
        }
    }

    /** An ungrouped convolution ({@code groups = 1}). */
    public ConvShape(int in, int out, int kernel, int stride, int pad, boolean bias) {
        this(in, out, kernel, stride, pad, bias, 1);
    }

    /** The output size along one axis for an input of {@code size} (may be below 1 for too small inputs). */
    public int outSize(int size) {
        return (size + 2 * pad - kernel) / stride + 1;
    }

    /** Number of weights: {@code out·(in/groups)·kernel²}. */
    public int weights() {
        return out * (in / groups) * kernel * kernel;
    }

    /** The ungrouped convolution one group computes: {@code in/groups → out/groups}, same kernel and bias. */
    public ConvShape group() {
        return new ConvShape(in / groups, out / groups, kernel, stride, pad, bias, 1);
    }
}
