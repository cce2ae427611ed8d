package org.ternsweep.core;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * Random streams derived from (seed, purpose) by hashing (spec §5): never a global or time-based
 * generator. Two callers that name the same seed and purpose get the same stream; different
 * purposes get independent streams. This is what makes "common random numbers" across operators
 * and methods hold: the calibration subset depends on (seed, "calibration") only.
 */
public final class Seeds {
    private Seeds() {
    }

    /** A 64-bit value derived from SHA-256(seed ‖ purpose). */
    public static long derive(long seed, String purpose) {
        MessageDigest sha = Sha256.newDigest();
        sha.update(ByteBuffer.allocate(Long.BYTES).putLong(seed).array());
        sha.update(purpose.getBytes(StandardCharsets.UTF_8));
        return ByteBuffer.wrap(sha.digest()).getLong();
    }

    /** A fresh generator for (seed, purpose). */
    public static SplittableRandom stream(long seed, String purpose) {
        return new SplittableRandom(derive(seed, purpose));
    }

    /** A java.util.Random for APIs that need one (e.g. Collections.shuffle). */
    public static Random random(long seed, String purpose) {
        return new Random(derive(seed, purpose));
    }

    /** A permutation of 0..n-1 drawn from (seed, purpose) by Fisher–Yates. */
    public static int[] permutation(int n, long seed, String purpose) {
        SplittableRandom r = stream(seed, purpose);
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
