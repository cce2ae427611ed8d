package org.ternsweep.engine;

import java.util.Arrays;

/**
 * A grouped (or depthwise) convolution computed group by group with one ungrouped computation of the
 * engine's backend: group g's input channels are gathered into a contiguous batch, convolved with the
 * weight rows of group g's outputs (contiguous in {@code [out, in/groups, k, k]}), and the result is scattered
 * back to its output channels. {@link GemmConv} runs grouped convolutions this way, with the same
 * determinism as its ungrouped ones; {@link DnnlConv} does not need it (oneDNN takes the groups itself,
 * and a depthwise layer here would be one tiny call per channel).
 */
final class GroupedConv implements ConvBackend.Conv {
    private final int groups;
    private final int inG;
    private final int outG;
    private final int kernel;
    private final int stride;
    private final int pad;
    private final boolean bias;
    private final ConvBackend.Conv inner;

    GroupedConv(ConvShape shape, ConvBackend backend) {
        ConvShape g = shape.group();
        this.groups = shape.groups();
        this.inG = g.in();
        this.outG = g.out();
        this.kernel = g.kernel();
        this.stride = g.stride();
        this.pad = g.pad();
        this.bias = g.bias();
        this.inner = backend.create(g);
    }

    private int outSize(int size) {
        return (size + 2 * pad - kernel) / stride + 1;
    }

    /** Copies channels {@code [c0, c0 + count)} of every image of {@code src} ({@code channels} per image). */
    private static void gather(float[] src, int n, int channels, int plane, int c0, int count, float[] dst) {
        for (int i = 0; i < n; i++) {
            System.arraycopy(src, (i * channels + c0) * plane, dst, i * count * plane, count * plane);
        }
    }

    /** The inverse of {@link #gather}. */
    private static void scatter(float[] src, int n, int channels, int plane, int c0, int count, float[] dst) {
        for (int i = 0; i < n; i++) {
            System.arraycopy(src, i * count * plane, dst, (i * channels + c0) * plane, count * plane);
        }
    }

    @Override
    public void forward(Engine engine, float[] x, int n, int h, int w, float[] weight, float[] b, float[] y) {
        int plane = h * w;
        int oplane = outSize(h) * outSize(w);
        int wg = outG * inG * kernel * kernel;
        float[] xg = new float[n * inG * plane];
        float[] yg = new float[n * outG * oplane];
        float[] weightG = new float[wg];
        float[] biasG = bias ? new float[outG] : null;
        for (int g = 0; g < groups; g++) {
            gather(x, n, groups * inG, plane, g * inG, inG, xg);
            System.arraycopy(weight, g * wg, weightG, 0, wg);
            if (bias) {
                System.arraycopy(b, g * outG, biasG, 0, outG);
            }
            inner.forward(engine, xg, n, h, w, weightG, biasG, yg);
            scatter(yg, n, groups * outG, oplane, g * outG, outG, y);
        }
    }

    @Override
    public void backward(Engine engine, float[] x, int n, int h, int w, float[] gy, float[] weight, float[] dw,
                         float[] dx) {
        int plane = h * w;
        int oplane = outSize(h) * outSize(w);
        int wg = outG * inG * kernel * kernel;
        float[] xg = new float[n * inG * plane];
        float[] gyg = new float[n * outG * oplane];
        float[] weightG = new float[wg];
        float[] dwg = new float[wg];
        float[] dxg = dx == null ? null : new float[xg.length];
        for (int g = 0; g < groups; g++) {
            gather(x, n, groups * inG, plane, g * inG, inG, xg);
            gather(gy, n, groups * outG, oplane, g * outG, outG, gyg);
            System.arraycopy(weight, g * wg, weightG, 0, wg);
            Arrays.fill(dwg, 0f);
            if (dxg != null) {
                Arrays.fill(dxg, 0f);
            }
            inner.backward(engine, xg, n, h, w, gyg, weightG, dwg, dxg);
            System.arraycopy(dwg, 0, dw, g * wg, wg);
            if (dxg != null) {
                scatter(dxg, n, groups * inG, plane, g * inG, inG, dx);
            }
        }
    }
}
