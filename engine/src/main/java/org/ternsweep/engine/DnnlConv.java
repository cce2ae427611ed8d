package org.ternsweep.engine;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The fast convolution backend: each chunk of a few images goes to oneDNN's JIT kernels on blocked layouts
 * ({@link DnnlPrimitives}), through the JavaCPP presets. Why: the im2col + sgemm path ({@link GemmConv})
 * spends most of a small conv's time copying columns; oneDNN's direct kernels need no column matrix
 * (PyTorch's CPU build uses oneDNN for the same layers). docs/BENCHMARKS.md, round 6, has the figures.
 * Grouped and depthwise convolutions go to oneDNN whole, as grouped primitives, so its depthwise kernels
 * run them.
 *
 * <p>oneDNN runs on OpenMP; the engine runs its chunks on its own threads instead, so each call pins the
 * calling thread's OpenMP to one thread through the {@link OmpThreads} given here. That makes results
 * independent of {@code OMP_NUM_THREADS} as well as of the engine's thread count.
 */
public final class DnnlConv implements ConvBackend {
    /** The backend's name in provenance. */
    public static final String NAME = "dnnl";

    /**
     * Images per oneDNN call. oneDNN's kernels run the zoo's shapes at the same speed from 4 to 128 images,
     * but a chunk's buffers stay in the core's L2 only when small: 4 or 8 images per call trained resnet-8
     * fastest (docs/BENCHMARKS.md, round 6).
     */
    private static final int CHUNK_IMAGES = 8;
    /** Upper bound on one image's floats times the images of one call (4 MB), for larger inputs. */
    private static final int CHUNK_FLOATS = 1 << 20;

    private final OmpThreads omp;

    /**
     * A oneDNN backend pinning OpenMP through {@code omp}.
     *
     * @throws IllegalStateException if oneDNN does not load here ({@link #available} says whether it does)
     */
    public DnnlConv(OmpThreads omp) {
        if (omp == null) {
            throw new IllegalArgumentException("the oneDNN backend needs the OpenMP thread control of the runtime"
                    + " oneDNN runs on");
        }
        if (!available()) {
            throw new IllegalStateException("oneDNN is not available here: " + unavailableReason());
        }
        this.omp = omp;
    }

    /**
     * Whether oneDNN loads on this machine; the first call loads it. When it does not (another platform, a
     * missing native library), {@link #unavailableReason} says why.
     */
    public static boolean available() {
        return DnnlPrimitives.available();
    }

    /** Why oneDNN could not be loaded, or null when it was (or has not been tried). */
    public static String unavailableReason() {
        return DnnlPrimitives.unavailableReason();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Conv create(ConvShape shape) {
        return new PerLayer(shape, omp);
    }

    @Override
    public String toString() {
        return NAME;
    }

    /**
     * One layer's primitives: one map per engine task, from geometry to primitives. Held per layer and task
     * rather than per thread: the common fork-join pool's workers clear their thread-locals after every task
     * (JDK 17), which made a thread-local cache rebuild the primitives on every call. Within a call each task
     * index runs on one thread.
     */
    private static final class PerLayer implements Conv {
        private final ConvShape s;
        private final OmpThreads omp;
        private final List<Map<DnnlPrimitives.Geometry, DnnlPrimitives>> tasks = new ArrayList<>();
        /** A new value per call: the weights may change between calls, never within one. */
        private long weightsToken;

        PerLayer(ConvShape s, OmpThreads omp) {
            this.s = s;
            this.omp = omp;
        }

        /** The maps of {@code count} tasks, grown here on the calling thread before the tasks start. */
        private List<Map<DnnlPrimitives.Geometry, DnnlPrimitives>> tasks(int count) {
            while (tasks.size() < count) {
                tasks.add(new HashMap<>());
            }
            return tasks;
        }

        private DnnlPrimitives primitives(Map<DnnlPrimitives.Geometry, DnnlPrimitives> cache, int h, int w,
                                          int images) {
            return cache.computeIfAbsent(new DnnlPrimitives.Geometry(s.in(), s.out(), s.kernel(), s.stride(),
                    s.pad(), h, w, images, s.bias(), s.groups()), g -> new DnnlPrimitives(g, omp));
        }

        /**
         * Images per call: at most {@link #CHUNK_IMAGES}, fewer when one image is large, so buffers stay a few
         * MB. It depends only on the shapes, never on the thread count, so results do not either.
         */
        private int chunk(int n, int h, int w) {
            int perImage = Math.max(s.in() * h * w, s.out() * s.outSize(h) * s.outSize(w));
            return Math.max(1, Math.min(Math.min(n, CHUNK_IMAGES), CHUNK_FLOATS / Math.max(1, perImage)));
        }

        @Override
        public void forward(Engine engine, float[] x, int n, int h, int w, float[] wv, float[] bv, float[] y) {
            int nb = chunk(n, h, w);
            int chunks = (n + nb - 1) / nb;
            int count = Math.max(1, Math.min(engine.threads(), chunks));
            List<Map<DnnlPrimitives.Geometry, DnnlPrimitives>> prims = tasks(count);
            long token = ++weightsToken;
            int inImage = s.in() * h * w;
            int outImage = s.out() * s.outSize(h) * s.outSize(w);
            engine.tasks(count, t -> {
                for (int c = chunks * t / count; c < chunks * (t + 1) / count; c++) {
                    int cnt = Math.min(nb, n - c * nb);
                    primitives(prims.get(t), h, w, cnt).forward(x, c * nb * inImage, wv, bv, y, c * nb * outImage,
                            token);
                }
            });
        }

        @Override
        public void backward(Engine engine, float[] x, int n, int h, int w, float[] gy, float[] wv, float[] dw,
                             float[] dx) {
            int nb = chunk(n, h, w);
            int chunks = (n + nb - 1) / nb;
            int ok = s.weights();
            // one partial weight gradient per chunk, summed below in chunk order: the chunks depend only on
            // the shapes, so the result is the same whichever thread ran which chunk, and for every thread count
            float[] partials = new float[chunks * ok];
            int count = Math.max(1, Math.min(engine.threads(), chunks));
            List<Map<DnnlPrimitives.Geometry, DnnlPrimitives>> prims = tasks(count);
            long token = ++weightsToken;
            int inImage = s.in() * h * w;
            int outImage = s.out() * s.outSize(h) * s.outSize(w);
            engine.tasks(count, t -> {
                for (int c = chunks * t / count; c < chunks * (t + 1) / count; c++) {
                    int cnt = Math.min(nb, n - c * nb);
                    primitives(prims.get(t), h, w, cnt).backward(x, c * nb * inImage, gy, c * nb * outImage, wv,
                            partials, c * ok, dx, c * nb * inImage, token);
                }
            });
            for (int c = 0; c < chunks; c++) {
                int base = c * ok;
                for (int i = 0; i < ok; i++) {
                    dw[i] += partials[base + i];
                }
            }
        }
    }
}
