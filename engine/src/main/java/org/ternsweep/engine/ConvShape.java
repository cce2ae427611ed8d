package org.ternsweep.engine;

/**
 * The fixed geometry of one convolution layer: NCHW input with {@code in} channels, {@code out} output
 * channels, a square {@code kernel}, {@code stride}, symmetric zero padding {@code pad}, and whether it
 * has a bias. Weights are {@code [out, in, kernel, kernel]} in C order, the bias {@code [out]}.
 */
public record ConvShape(int in, int out, int kernel, int stride, int pad, boolean bias) {
    public ConvShape {
        if (in < 1 || out < 1 || kernel < 1 || stride < 1 || pad < 0) {
            throw new IllegalArgumentException("convolution needs in, out, kernel, stride >= 1 and pad >= 0, got in "
                    + in + " out " + out + " kernel " + kernel + " stride " + stride + " pad " + pad);
        }
    }

    /** The output size along one axis for an input of {@code size} (may be below 1 for too small inputs). */
    public int outSize(int size) {
        return (size + 2 * pad - kernel) / stride + 1;
    }

    /** Number of weights: {@code out·in·kernel²}. */
    public int weights() {
        return out * in * kernel * kernel;
    }
}
