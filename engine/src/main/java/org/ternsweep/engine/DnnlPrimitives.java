package org.ternsweep.engine;

import java.lang.ref.Cleaner;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.dnnl.const_dnnl_op_desc_t;
import org.bytedeco.dnnl.dnnl_convolution_desc_t;
import org.bytedeco.dnnl.dnnl_engine;
import org.bytedeco.dnnl.dnnl_exec_arg_t;
import org.bytedeco.dnnl.dnnl_memory;
import org.bytedeco.dnnl.dnnl_memory_desc_t;
import org.bytedeco.dnnl.dnnl_primitive;
import org.bytedeco.dnnl.dnnl_primitive_attr;
import org.bytedeco.dnnl.dnnl_primitive_desc;
import org.bytedeco.dnnl.dnnl_stream;
import org.bytedeco.javacpp.FloatPointer;

import static org.bytedeco.dnnl.global.dnnl.*;

/**
 * One convolution geometry (channels, groups, kernel, stride, padding, input size, images per call) as
 * oneDNN primitives: forward, backward-data and backward-weights, each in the memory layout oneDNN picks
 * for this CPU ({@code format_tag_any}: blocked {@code nChw16c} / {@code OIhw16i16o} with AVX-512), with
 * reorders to and from the engine's plain NCHW / OIHW (GOIHW when grouped) arrays around them. The Java
 * arrays are copied into direct buffers once per call and reordered by oneDNN.
 *
 * <p>An instance owns its stream, primitives and buffers and is not thread-safe: {@link DnnlConv} keeps one
 * per layer, geometry and engine task. Each call, and the creation of the primitives, runs on the calling
 * thread alone: OpenMP is set to one thread for the calling thread around both and restored afterwards
 * ({@link #run}), whatever {@code OMP_NUM_THREADS} says. Native objects are released by a {@link Cleaner}
 * when the instance becomes unreachable; buffers are direct ByteBuffers, so the garbage collector sees
 * their size.
 */
final class DnnlPrimitives {
    /**
     * What identifies one set of primitives; {@code groups} splits the channels as in {@link ConvShape}
     * (1: an ordinary convolution, {@code in}: a depthwise one).
     */
    record Geometry(int in, int out, int kernel, int stride, int pad, int h, int w, int images,
                    boolean bias, int groups) {
        int oh() {
            return (h + 2 * pad - kernel) / stride + 1;
        }

        int ow() {
            return (w + 2 * pad - kernel) / stride + 1;
        }
    }

    private static final Cleaner CLEANER = Cleaner.create();
    /**
     * oneDNN's CPU engine, created on the first {@link #available} call and shared by every instance: it
     * stands for the CPU, holds no per-call state, and creating one per layer would only cost time. Null
     * until loaded, or when loading failed ({@link #unavailable} then says why).
     */
    private static volatile dnnl_engine engine;
    private static volatile String unavailable;

    private final Geometry g;
    private final OmpThreads omp;
    private final Natives natives = new Natives();
    private final List<ByteBuffer> keep = new ArrayList<>();
    private final FloatBuffer src;
    private final FloatBuffer dst;
    private final FloatBuffer wts;
    private final FloatBuffer bias;
    private final FloatBuffer diffDst;
    private final FloatBuffer diffSrc;
    private final FloatBuffer diffWts;
    private final Step[] forwardWeights;
    private final Step[] forward;
    private final Step[] backwardDataWeights;
    private final Step[] backwardData;
    /** The caller's token of the weights last loaded for forward / backward-data (−1: none yet). */
    private long forwardToken = -1;
    private long backwardDataToken = -1;
    private final Step[] backwardWeights;
    /**
     * Primitive attributes asking for user-managed scratchpads, alive only while the constructor creates the
     * primitives. Why: oneDNN's library-managed scratchpad (this build has DNNL_ENABLE_CONCURRENT_EXEC off)
     * belongs to the thread that created the primitive, and running the primitive on another thread reads that
     * thread's, possibly none: a segfault. The engine's fork-join workers do not keep a task index on one
     * thread from call to call, so each step gets its own scratchpad instead ({@link #step}).
     */
    private final dnnl_primitive_attr attr = new dnnl_primitive_attr();

    /** A primitive with its arguments, run in order with the reorders around it. */
    private record Step(dnnl_primitive primitive, dnnl_exec_arg_t args, int count) {
    }

    /** The native handles an instance created, destroyed together by the cleaner. */
    private static final class Natives implements Runnable {
        final List<dnnl_primitive> primitives = new ArrayList<>();
        final List<dnnl_primitive_desc> descs = new ArrayList<>();
        final List<dnnl_memory> memories = new ArrayList<>();
        dnnl_stream stream;

        @Override
        public void run() {
            primitives.forEach(p -> dnnl_primitive_destroy(p));
            descs.forEach(d -> dnnl_primitive_desc_destroy(d));
            memories.forEach(m -> dnnl_memory_destroy(m));
            if (stream != null) {
                dnnl_stream_destroy(stream);
            }
        }
    }

    /**
     * Whether oneDNN loaded on this machine; the first call loads it. When it did not (another platform,
     * a missing native library), {@link #unavailableReason} says why and the engine uses im2col + sgemm.
     */
    static boolean available() {
        if (engine == null && unavailable == null) {
            synchronized (DnnlPrimitives.class) {
                if (engine == null && unavailable == null) {
                    try {
                        dnnl_engine e = new dnnl_engine();
                        check(dnnl_engine_create(e, dnnl_cpu, 0), "create the CPU engine");
                        engine = e;
                    } catch (RuntimeException | LinkageError e) {
                        unavailable = e.toString();
                    }
                }
            }
        }
        return engine != null;
    }

    /** Why oneDNN could not be loaded, or null when it was (or has not been tried). */
    static String unavailableReason() {
        return unavailable;
    }

    /**
     * Creates the primitives for geometry {@code g} with OpenMP at one thread (oneDNN fixes a kernel's
     * thread split when it creates it); the caller keeps the instance for reuse.
     *
     * @throws IllegalStateException if oneDNN is not available here
     */
    DnnlPrimitives(Geometry g, OmpThreads omp) {
        if (!available()) {
            throw new IllegalStateException("oneDNN is not available here: " + unavailable);
        }
        this.g = g;
        this.omp = omp;
        int ompThreads = oneOmpThread();
        try {
            CLEANER.register(this, natives);
            check(dnnl_primitive_attr_create(attr), "create primitive attributes");
            check(dnnl_primitive_attr_set_scratchpad_mode(attr, dnnl_scratchpad_mode_user),
                    "ask for user-managed scratchpads");
            dnnl_stream s = new dnnl_stream();
            check(dnnl_stream_create(s, engine, dnnl_stream_default_flags), "create a stream");
            natives.stream = s;
            long[] srcDims = {g.images(), g.in(), g.h(), g.w()};
            // grouped weights are oneDNN's goihw, [groups, out/groups, in/groups, k, k]: the engine's
            // [out, in/groups, k, k] in the same memory order, so no copy is needed; oneDNN then picks its
            // depthwise kernels for groups = in, where a per-group loop would make `groups` tiny calls
            int gr = g.groups();
            long[] wDims = gr == 1 ? new long[] {g.out(), g.in(), g.kernel(), g.kernel()}
                    : new long[] {gr, g.out() / gr, g.in() / gr, g.kernel(), g.kernel()};
            long[] dstDims = {g.images(), g.out(), g.oh(), g.ow()};
            long[] strides = {g.stride(), g.stride()};
            long[] pads = {g.pad(), g.pad()};
            dnnl_memory_desc_t srcAny = desc(srcDims, dnnl_format_tag_any);
            dnnl_memory_desc_t wAny = desc(wDims, dnnl_format_tag_any);
            dnnl_memory_desc_t dstAny = desc(dstDims, dnnl_format_tag_any);
            dnnl_memory_desc_t bDesc = g.bias() ? desc(new long[] {g.out()}, dnnl_x) : null;

            dnnl_convolution_desc_t fd = new dnnl_convolution_desc_t();
            check(dnnl_convolution_forward_desc_init(fd, dnnl_forward_training, dnnl_convolution_direct, srcAny, wAny,
                    bDesc, dstAny, strides, pads, pads), "describe the forward convolution " + g);
            dnnl_primitive_desc fpd = primitiveDesc(fd, null);
            dnnl_convolution_desc_t bdd = new dnnl_convolution_desc_t();
            check(dnnl_convolution_backward_data_desc_init(bdd, dnnl_convolution_direct, srcAny, wAny, dstAny, strides,
                    pads, pads), "describe the backward-data convolution " + g);
            dnnl_primitive_desc bdpd = primitiveDesc(bdd, fpd);
            dnnl_convolution_desc_t bwd = new dnnl_convolution_desc_t();
            check(dnnl_convolution_backward_weights_desc_init(bwd, dnnl_convolution_direct, srcAny, wAny, null,
                    dstAny, strides, pads, pads), "describe the backward-weights convolution " + g);
            dnnl_primitive_desc bwpd = primitiveDesc(bwd, fpd);

            // plain user memories, filled from and read into the engine's arrays
            dnnl_memory_desc_t srcPlain = desc(srcDims, dnnl_nchw);
            dnnl_memory_desc_t wPlain = desc(wDims, gr == 1 ? dnnl_oihw : dnnl_goihw);
            dnnl_memory_desc_t dstPlain = desc(dstDims, dnnl_nchw);
            this.src = direct(srcDims);
            this.wts = direct(wDims);
            this.dst = direct(dstDims);
            this.diffDst = direct(dstDims);
            this.diffSrc = direct(srcDims);
            this.diffWts = direct(wDims);
            this.bias = g.bias() ? direct(new long[] {g.out()}) : null;
            dnnl_memory srcUser = memory(srcPlain, src);
            dnnl_memory wUser = memory(wPlain, wts);
            dnnl_memory dstUser = memory(dstPlain, dst);
            dnnl_memory diffDstUser = memory(dstPlain, diffDst);
            dnnl_memory diffSrcUser = memory(srcPlain, diffSrc);
            dnnl_memory diffWUser = memory(wPlain, diffWts);
            dnnl_memory biasUser = g.bias() ? memory(bDesc, bias) : null;

            List<Step> f = new ArrayList<>();
            dnnl_memory fSrc = into(srcUser, srcPlain, dnnl_primitive_desc_query_md(fpd, dnnl_query_src_md, 0), f);
            List<Step> fw = new ArrayList<>();
            dnnl_memory fW = into(wUser, wPlain, dnnl_primitive_desc_query_md(fpd, dnnl_query_weights_md, 0), fw);
            this.forwardWeights = fw.toArray(new Step[0]);
            dnnl_memory_desc_t fDstMd = dnnl_primitive_desc_query_md(fpd, dnnl_query_dst_md, 0);
            dnnl_memory fDst = output(fDstMd, dstUser, dstPlain);
            f.add(g.bias()
                    ? step(fpd, new int[] {DNNL_ARG_SRC, DNNL_ARG_WEIGHTS, DNNL_ARG_BIAS, DNNL_ARG_DST},
                            fSrc, fW, biasUser, fDst)
                    : step(fpd, new int[] {DNNL_ARG_SRC, DNNL_ARG_WEIGHTS, DNNL_ARG_DST}, fSrc, fW, fDst));
            out(fDst, fDstMd, dstUser, dstPlain, f);
            this.forward = f.toArray(new Step[0]);

            List<Step> bwSteps = new ArrayList<>();
            dnnl_memory bwSrc = into(srcUser, srcPlain, dnnl_primitive_desc_query_md(bwpd, dnnl_query_src_md, 0),
                    bwSteps);
            dnnl_memory_desc_t bwDiffDstMd = dnnl_primitive_desc_query_md(bwpd, dnnl_query_diff_dst_md, 0);
            dnnl_memory bwDiffDst = into(diffDstUser, dstPlain, bwDiffDstMd, bwSteps);
            dnnl_memory_desc_t bwDiffWMd = dnnl_primitive_desc_query_md(bwpd, dnnl_query_diff_weights_md, 0);
            dnnl_memory bwDiffW = output(bwDiffWMd, diffWUser, wPlain);
            bwSteps.add(step(bwpd, new int[] {DNNL_ARG_SRC, DNNL_ARG_DIFF_DST, DNNL_ARG_DIFF_WEIGHTS},
                    bwSrc, bwDiffDst, bwDiffW));
            out(bwDiffW, bwDiffWMd, diffWUser, wPlain, bwSteps);
            this.backwardWeights = bwSteps.toArray(new Step[0]);

            List<Step> bdSteps = new ArrayList<>();
            // backward runs backward-weights first: when both want diff_dst in the same layout, backward-data
            // reads the copy that backward-weights' reorder made instead of reordering it again
            dnnl_memory_desc_t bdDiffDstMd = dnnl_primitive_desc_query_md(bdpd, dnnl_query_diff_dst_md, 0);
            dnnl_memory bdDiffDst = same(bdDiffDstMd, bwDiffDstMd) ? bwDiffDst
                    : into(diffDstUser, dstPlain, bdDiffDstMd, bdSteps);
            List<Step> bdw = new ArrayList<>();
            dnnl_memory bdW = into(wUser, wPlain, dnnl_primitive_desc_query_md(bdpd, dnnl_query_weights_md, 0),
                    bdw);
            this.backwardDataWeights = bdw.toArray(new Step[0]);
            dnnl_memory_desc_t bdDiffSrcMd = dnnl_primitive_desc_query_md(bdpd, dnnl_query_diff_src_md, 0);
            dnnl_memory bdDiffSrc = output(bdDiffSrcMd, diffSrcUser, srcPlain);
            bdSteps.add(step(bdpd, new int[] {DNNL_ARG_DIFF_DST, DNNL_ARG_WEIGHTS, DNNL_ARG_DIFF_SRC},
                    bdDiffDst, bdW, bdDiffSrc));
            out(bdDiffSrc, bdDiffSrcMd, diffSrcUser, srcPlain, bdSteps);
            this.backwardData = bdSteps.toArray(new Step[0]);
        } finally {
            // every primitive descriptor holds its own copy of the attributes
            dnnl_primitive_attr_destroy(attr);
            restoreOmpThreads(ompThreads);
        }
    }

    /**
     * {@code y[yOff..] = conv(x[xOff..], w) + b} for {@link Geometry#images} images in NCHW; {@code b} may be
     * null only when the geometry has no bias. {@code token} names the weights: the caller passes a new
     * one whenever {@code w} or {@code b} may have changed (once per layer call), and the weights are copied
     * and reordered only then, not once per chunk.
     */
    void forward(float[] x, int xOff, float[] w, float[] b, float[] y, int yOff, long token) {
        if (token != forwardToken) {
            load(wts, w, 0);
            if (bias != null) {
                load(bias, b, 0);
            }
            run(forwardWeights);
            forwardToken = token;
            backwardDataToken = -1; // the plain weight buffer is shared with backward-data
        }
        load(src, x, xOff);
        run(forward);
        dst.clear();
        dst.get(y, yOff, dst.capacity());
    }

    /**
     * Backward for {@link Geometry#images} images: the weight gradient of this chunk into
     * {@code dw[dwOff..]} ({@code [out, in/groups, k, k]}, overwritten) and, unless {@code dx} is null, the
     * input gradient into {@code dx[dxOff..]} (overwritten). {@code token} names the weights as in {@link #forward}.
     */
    void backward(float[] x, int xOff, float[] gy, int gOff, float[] w, float[] dw, int dwOff, float[] dx,
                  int dxOff, long token) {
        load(diffDst, gy, gOff);
        load(src, x, xOff);
        run(backwardWeights);
        diffWts.clear();
        diffWts.get(dw, dwOff, diffWts.capacity());
        if (dx != null) {
            if (token != backwardDataToken) {
                load(wts, w, 0);
                run(backwardDataWeights);
                backwardDataToken = token;
                forwardToken = -1;
            }
            run(backwardData);
            diffSrc.clear();
            diffSrc.get(dx, dxOff, diffSrc.capacity());
        }
    }

    private static void load(FloatBuffer buffer, float[] values, int off) {
        buffer.clear();
        buffer.put(values, off, buffer.capacity());
    }

    /**
     * Runs the steps on this thread alone: OpenMP's thread count is set to one for the calling thread (an
     * OpenMP setting is per thread) and restored afterwards, whatever OMP_NUM_THREADS says; the constructor
     * does the same, since oneDNN fixes a kernel's thread split when it creates it. The engine runs its
     * chunks on its own threads, so a second OpenMP team would only oversubscribe the cores, and oneDNN's
     * backward-weights reduction is split by its thread count, so results would depend on it.
     */
    private void run(Step[] steps) {
        int ompThreads = oneOmpThread();
        try {
            // the messages are built only on failure: this runs a few hundred times per training step
            for (Step s : steps) {
                int status = dnnl_primitive_execute(s.primitive(), natives.stream, s.count(), s.args());
                if (status != dnnl_success) {
                    check(status, "run a convolution step of " + g);
                }
            }
            int status = dnnl_stream_wait(natives.stream);
            if (status != dnnl_success) {
                check(status, "wait for the convolution of " + g);
            }
        } finally {
            restoreOmpThreads(ompThreads);
        }
    }

    /** Sets OpenMP to one thread for the calling thread and returns the previous count. */
    private int oneOmpThread() {
        int before = omp.get();
        if (before != 1) {
            omp.set(1);
        }
        return before;
    }

    private void restoreOmpThreads(int before) {
        if (before != 1) {
            omp.set(before);
        }
    }

    private dnnl_primitive_desc primitiveDesc(dnnl_convolution_desc_t d, dnnl_primitive_desc hint) {
        dnnl_primitive_desc pd = new dnnl_primitive_desc();
        check(dnnl_primitive_desc_create(pd, new const_dnnl_op_desc_t(d), attr, engine, hint),
                "create a convolution primitive for " + g);
        natives.descs.add(pd);
        return pd;
    }

    /** The primitive of {@code pd} with its arguments, and its own scratchpad when it needs one. */
    private Step step(dnnl_primitive_desc pd, int[] keys, dnnl_memory... memories) {
        dnnl_primitive p = new dnnl_primitive();
        check(dnnl_primitive_create(p, pd), "instantiate a primitive for " + g);
        natives.primitives.add(p);
        dnnl_memory_desc_t scratchpadMd = dnnl_primitive_desc_query_md(pd, dnnl_query_scratchpad_md, 0);
        boolean scratchpad = dnnl_memory_desc_get_size(scratchpadMd) > 0;
        int count = keys.length + (scratchpad ? 1 : 0);
        dnnl_exec_arg_t args = new dnnl_exec_arg_t(count);
        for (int i = 0; i < keys.length; i++) {
            args.position(i).arg(keys[i]).memory(memories[i]);
        }
        if (scratchpad) {
            args.position(keys.length).arg(DNNL_ARG_SCRATCHPAD).memory(memory(scratchpadMd, null));
        }
        args.position(0);
        return new Step(p, args, count);
    }

    /** The memory the primitive reads: the user's when layouts match, else a new one filled by a reorder. */
    private dnnl_memory into(dnnl_memory user, dnnl_memory_desc_t userMd, dnnl_memory_desc_t wanted,
                             List<Step> steps) {
        if (same(userMd, wanted)) {
            return user;
        }
        dnnl_memory m = memory(wanted, null);
        steps.add(reorder(user, userMd, m, wanted));
        return m;
    }

    /** The memory a primitive writes: the user's when the layouts match, else a new one ({@link #out} reorders it). */
    private dnnl_memory output(dnnl_memory_desc_t md, dnnl_memory user, dnnl_memory_desc_t userMd) {
        return same(md, userMd) ? user : memory(md, null);
    }

    /** Appends the reorder from the primitive's output layout to the user's, when they differ. */
    private void out(dnnl_memory produced, dnnl_memory_desc_t producedMd, dnnl_memory user,
                     dnnl_memory_desc_t userMd, List<Step> steps) {
        if (produced != user) {
            steps.add(reorder(produced, producedMd, user, userMd));
        }
    }

    private Step reorder(dnnl_memory from, dnnl_memory_desc_t fromMd, dnnl_memory to, dnnl_memory_desc_t toMd) {
        dnnl_primitive_desc pd = new dnnl_primitive_desc();
        check(dnnl_reorder_primitive_desc_create(pd, fromMd, engine, toMd, engine, attr),
                "create a reorder for " + g);
        natives.descs.add(pd);
        return step(pd, new int[] {DNNL_ARG_FROM, DNNL_ARG_TO}, from, to);
    }

    private static boolean same(dnnl_memory_desc_t a, dnnl_memory_desc_t b) {
        return dnnl_memory_desc_equal(a, b) != 0;
    }

    private static dnnl_memory_desc_t desc(long[] dims, int tag) {
        dnnl_memory_desc_t m = new dnnl_memory_desc_t();
        check(dnnl_memory_desc_init_by_tag(m, dims.length, dims, dnnl_f32, tag), "describe memory");
        return m;
    }

    /** A oneDNN memory over {@code buffer}, or over a new direct buffer of the descriptor's size when null. */
    private dnnl_memory memory(dnnl_memory_desc_t d, FloatBuffer buffer) {
        FloatBuffer b = buffer;
        if (b == null) {
            b = directBytes(dnnl_memory_desc_get_size(d));
        }
        dnnl_memory m = new dnnl_memory();
        check(dnnl_memory_create(m, d, engine, new FloatPointer(b)), "create memory for " + g);
        natives.memories.add(m);
        return m;
    }

    private FloatBuffer direct(long[] dims) {
        long n = 1;
        for (long d : dims) {
            n *= d;
        }
        return directBytes(n * Float.BYTES);
    }

    /** A 64-byte aligned direct buffer (oneDNN's preferred alignment), kept reachable by this instance. */
    private FloatBuffer directBytes(long bytes) {
        if (bytes > Integer.MAX_VALUE - 128) {
            throw new IllegalArgumentException("convolution buffer of " + bytes + " bytes for " + g
                    + " is too large; use a smaller batch");
        }
        ByteBuffer raw = ByteBuffer.allocateDirect((int) bytes + 128);
        keep.add(raw);
        ByteBuffer aligned = raw.alignedSlice(64).order(ByteOrder.nativeOrder());
        aligned.limit((int) bytes);
        return aligned.slice().order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    private static void check(int status, String what) {
        if (status != dnnl_success) {
            throw new IllegalStateException("oneDNN could not " + what + " (status " + status + ")");
        }
    }
}
