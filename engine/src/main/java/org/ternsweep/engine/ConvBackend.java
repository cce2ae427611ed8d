package org.ternsweep.engine;

/**
 * How convolutions are computed, chosen once per {@link Engine}: {@link DnnlConv} (oneDNN's JIT kernels, the
 * fast one) or {@link GemmConv} (the engine's own im2col + OpenBLAS sgemm, the reference and the fallback
 * where oneDNN does not load). Each {@link Conv2d} asks its engine's backend for one {@link Conv} and keeps
 * it, with whatever buffers or primitives the backend caches for that layer.
 *
 * <p>Every backend splits a batch into chunks of images that depend only on the shapes, runs the chunks on
 * the engine's threads ({@link Engine#tasks}) and sums per-chunk weight gradients in chunk order, so its
 * results do not depend on the thread count. Different backends agree to about 1e-5 relative but round
 * differently, so a sweep records {@link #name} with its results.
 */
public interface ConvBackend {
    /** The backend's name as recorded in provenance ({@code dnnl}, {@code gemm}). */
    String name();

    /**
     * A new computation for one layer of this shape, grouped or not; it is used by that layer alone.
     * {@link DnnlConv} hands groups to oneDNN's grouped primitives; {@link GemmConv} runs them group by group
     * ({@link GroupedConv}).
     */
    Conv create(ConvShape shape);

    /**
     * One layer's convolution on one backend, with the state the backend keeps between calls. Not
     * thread-safe: a layer is never run by two callers at once. Arrays are NCHW / OIHW in C order (the
     * weights {@code [out, in/groups, k, k]}); the caller has checked the shapes.
     */
    interface Conv {
        /**
         * {@code y = conv(x, weight) + bias} for {@code n} images of {@code h × w}; {@code bias} is null when
         * the shape has none, {@code y} ({@code [n, out, oh, ow]}) is fully overwritten. The weights may have
         * changed since the last call.
         */
        void forward(Engine engine, float[] x, int n, int h, int w, float[] weight, float[] bias, float[] y);

        /**
         * Backward of a forward on {@code x} with {@code weight}, from the output gradient {@code gy}: the
         * weight gradient of the whole batch into {@code dw} ({@code [out, in/groups, k, k]}) and, unless {@code dx}
         * is null, the input gradient into {@code dx}. Both arrive zero-filled.
         */
        void backward(Engine engine, float[] x, int n, int h, int w, float[] gy, float[] weight, float[] dw,
                      float[] dx);
    }
}
