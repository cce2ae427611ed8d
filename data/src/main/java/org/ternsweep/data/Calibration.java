package org.ternsweep.data;

import org.ternsweep.core.SeedPurpose;
import org.ternsweep.core.Seeds;

/**
 * Deterministic choices of calibration data and batch order for post-training methods (spec §5).
 *
 * <p>Common random numbers: the calibration subset depends only on the cell's seed and the size of
 * the training set, never on the operator or method, so at a given seed every operator and every
 * method sees the same images and paired comparisons are valid. Likewise the batch order depends only
 * on (n, batch, iterations, seed, purpose).
 *
 * <p>{@link #sample} takes the first {@code n} entries of a permutation of the training set drawn
 * from {@link Seeds} with purpose {@link SeedPurpose#CALIBRATION}: sampling without replacement, and the subsets
 * are nested (the 512-image subset is the first half of the 1024-image one at the same seed), so
 * changing the calibration size changes as little as possible.
 */
public final class Calibration {
    private Calibration() {
    }

    /**
     * {@code n} distinct indices into {@code d}'s training set, drawn from (seed, {@link SeedPurpose#CALIBRATION}).
     *
     * @throws IllegalArgumentException if {@code n} is not in [1, trainSize]
     */
    public static int[] sample(Dataset d, long seed, int n) {
        return sample(d.trainSize(), seed, n);
    }

    /** As {@link #sample(Dataset, long, int)} for a training set of {@code trainSize} examples. */
    public static int[] sample(int trainSize, long seed, int n) {
        if (n < 1 || n > trainSize) {
            throw new IllegalArgumentException("calibration size " + n + " must be in [1, " + trainSize
                    + "] (the training set size); lower 'calibration' in the method options");
        }
        int[] perm = Seeds.permutation(trainSize, seed, SeedPurpose.CALIBRATION);
        return java.util.Arrays.copyOf(perm, n);
    }

    /**
     * The batches of a reconstruction run: {@code iterations} batches of {@code batch} positions in
     * [0, n) (positions in the calibration set, not dataset indices). Epochs are successive
     * permutations drawn from (seed, {@link SeedPurpose#pass SeedPurpose.pass(purpose, e)}); each epoch is cut into
     * {@code n / batch} whole batches (a last partial batch is dropped, so every batch has distinct
     * positions and the same size), and epochs follow one another until {@code iterations} batches
     * are out.
     *
     * @throws IllegalArgumentException if a size is not positive or {@code batch > n}
     */
    public static int[][] batchOrder(int n, int batch, int iterations, long seed, String purpose) {
        if (n < 1 || batch < 1 || iterations < 0) {
            throw new IllegalArgumentException("batchOrder(n=" + n + ", batch=" + batch + ", iterations=" + iterations
                    + "): n and batch must be positive and iterations non-negative");
        }
        if (batch > n) {
            throw new IllegalArgumentException("batch " + batch + " is larger than the calibration set (" + n
                    + "); lower 'batch' or raise 'calibration' in the method options");
        }
        if (purpose == null || purpose.isBlank()) {
            throw new IllegalArgumentException("purpose must name what the batches are for, e.g. 'adaround/batches'");
        }
        int perEpoch = n / batch;
        int[][] out = new int[iterations][];
        int[] perm = null;
        for (int it = 0; it < iterations; it++) {
            int epoch = it / perEpoch;
            int slot = it % perEpoch;
            if (slot == 0) {
                perm = Seeds.permutation(n, seed, SeedPurpose.pass(purpose, epoch));
            }
            out[it] = java.util.Arrays.copyOfRange(perm, slot * batch, (slot + 1) * batch);
        }
        return out;
    }
}
