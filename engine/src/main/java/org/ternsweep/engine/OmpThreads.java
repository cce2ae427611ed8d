package org.ternsweep.engine;

/**
 * The calling thread's OpenMP thread count in the process's OpenMP runtime, the one oneDNN runs on
 * ({@code omp_get_max_threads} / {@code omp_set_num_threads}; an OpenMP setting is per thread). The engine
 * has no binding of its own to OpenMP: whoever builds a {@link DnnlConv} passes an implementation that
 * reaches the runtime oneDNN uses (the runner's goes through ND4J's native ops, which load the process's
 * libgomp before oneDNN does).
 */
public interface OmpThreads {
    /** The calling thread's OpenMP thread count ({@code omp_get_max_threads}). */
    int get();

    /** Sets the calling thread's OpenMP thread count ({@code omp_set_num_threads}). */
    void set(int threads);
}
