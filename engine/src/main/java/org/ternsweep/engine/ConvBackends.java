package org.ternsweep.engine;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;

/** Chooses a {@link ConvBackend} by name, the way a run's setting names it ({@code dnnl} or {@code gemm}). */
public final class ConvBackends {
    /** The backend a run uses unless told otherwise: oneDNN, the fast one. */
    public static final String DEFAULT = DnnlConv.NAME;
    /** Every backend name, in the order error messages list them. */
    public static final List<String> NAMES = List.of(DnnlConv.NAME, GemmConv.NAME);

    private static final System.Logger LOG = System.getLogger(ConvBackends.class.getName());
    /**
     * Whether the fallback warning was logged: once per process, since every cell of a run on a machine
     * without oneDNN would repeat the same line; the reason does not change within a process.
     */
    private static final AtomicBoolean WARNED = new AtomicBoolean();

    private ConvBackends() {
    }

    /**
     * The canonical (lower-case, trimmed) form of a backend name.
     *
     * @throws IllegalArgumentException naming the value and the allowed names if it is none of {@link #NAMES}
     */
    public static String check(String name) {
        String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        if (!NAMES.contains(n)) {
            throw new IllegalArgumentException("convolution backend '" + name + "' is unknown; allowed: "
                    + String.join(", ", NAMES));
        }
        return n;
    }

    /**
     * The backend named {@code name}; {@code dnnl} falls back to {@code gemm} where oneDNN does not load (with
     * one warning per process naming the reason). {@code omp} is the OpenMP control oneDNN needs
     * ({@link DnnlConv}); the gemm backend ignores it.
     *
     * @throws IllegalArgumentException if the name is unknown
     */
    public static ConvBackend named(String name, OmpThreads omp) {
        if (check(name).equals(GemmConv.NAME)) {
            return new GemmConv();
        }
        if (DnnlConv.available()) {
            return new DnnlConv(omp);
        }
        if (WARNED.compareAndSet(false, true)) {
            LOG.log(System.Logger.Level.WARNING, "oneDNN did not load (" + DnnlConv.unavailableReason()
                    + "); convolutions use im2col + sgemm (gemm), about 3x slower in training");
        }
        return new GemmConv();
    }
}
