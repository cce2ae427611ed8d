package org.ternsweep.engine;

import java.util.List;
import java.util.Locale;
import org.ternsweep.core.BadInputException;

/**
 * Resolves a run's {@code engine} setting ({@code auto}, {@code cpu} or {@code cuda}) to the engine its cells run
 * on. The engine is an execution setting like the thread count or the convolution backend, not part of a cell's
 * identity: the same cell on another engine agrees within tolerance, not bitwise (docs/gpu.md), so it is recorded
 * in every cell's provenance and never in its cellId.
 *
 * <p>This build has only the CPU engine: {@code auto} resolves to {@code cpu} everywhere, and {@code cuda} is
 * refused before any cell runs, with what the probe looked for and found ({@link CudaProbe}).
 */
public final class EngineSelection {
    /** The engine a run uses when it names none. */
    public static final String DEFAULT = "auto";
    /** Every allowed value, in the order error messages list them. */
    public static final List<String> NAMES = List.of("auto", "cpu", "cuda");

    private EngineSelection() {
    }

    /**
     * The engine a run resolved to.
     *
     * @param requested what the run asked for
     * @param engine    what its cells run on
     */
    public record Resolved(String requested, String engine) {
    }

    /**
     * The canonical (lower-case, trimmed) form of an engine name.
     *
     * @throws IllegalArgumentException naming the value and the allowed names if it is none of {@link #NAMES}
     */
    public static String check(String name) {
        String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        if (!NAMES.contains(n)) {
            throw new IllegalArgumentException("engine '" + name + "' is unknown; allowed: "
                    + String.join(", ", NAMES));
        }
        return n;
    }

    /**
     * Resolves {@code requested} on this machine ({@link CudaProbe#cached()}, made only for {@code cuda}: without a
     * CUDA backend, {@code auto} has nothing to choose).
     *
     * @throws BadInputException for {@code cuda}, naming what was looked for and found
     */
    public static Resolved resolve(String requested, String where) {
        String r = check(requested);
        return resolve(r, r.equals("cuda") ? CudaProbe.cached() : null, where);
    }

    /**
     * Resolves {@code requested} against {@code probe} (may be null unless {@code requested} is {@code cuda});
     * {@code where} names the machine probed in messages.
     *
     * @throws BadInputException for {@code cuda}, naming what was looked for and found
     */
    public static Resolved resolve(String requested, CudaProbe probe, String where) {
        String r = check(requested);
        if (!r.equals("cuda")) {
            return new Resolved(r, "cpu");
        }
        String found = probe.hasGpu()
                ? "found " + probe.describeGpus() + " on " + where + ", but this build of ternsweep has no CUDA engine"
                        + " backend yet (docs/gpu.md)"
                : "no usable NVIDIA GPU on " + where + ": " + probe.describeSearch()
                        + " (and this build of ternsweep has no CUDA engine backend yet, docs/gpu.md)";
        throw new BadInputException("engine 'cuda' cannot run: " + found + "; use engine: cpu or auto"
                + " (auto runs on the CPU here)");
    }
}
