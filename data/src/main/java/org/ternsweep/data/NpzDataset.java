package org.ternsweep.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import org.ternsweep.core.Sha256;

/**
 * A user dataset from a NumPy {@code .npz} file holding the arrays {@code x_train}, {@code y_train},
 * {@code x_test} and {@code y_test} (see sweeps/README.md, "Datasets").
 *
 * <ul>
 * <li>Images {@code x_*}: rank 4, {@code uint8} (scaled by 1/255 like Fashion-MNIST's bytes) or {@code float32}
 *     (taken as they are; must be finite). The layout is NHWC when the last dimension is 1 or 3 and the second
 *     is not, NCHW when the second is 1 or 3 and the last is not; when both are 1 or 3 the file is refused as
 *     ambiguous, and when neither is the layout is taken as NCHW. Train and test must agree in layout, channels,
 *     height and width.</li>
 * <li>Labels {@code y_*}: rank 1, {@code int64}, {@code int32} or {@code uint8}, one per image, in
 *     {@code [0, K)} where K, the number of classes, is one more than the largest label of either split (at
 *     least 2).</li>
 * </ul>
 *
 * <p>The dataset's SHA-256 is that of the file's bytes: it is what a sweep's cells name
 * ({@code dataset_source}), and the loader checks it against the expected one. Loads are cached per JVM by
 * that hash and name, as {@link Datasets} caches built-in datasets.
 */
public final class NpzDataset {
    /** The arrays a dataset npz must hold. */
    public static final List<String> ARRAYS = List.of("x_train", "y_train", "x_test", "y_test");
    private static final int MAX_CLASSES = 100_000;

    /** What a load depends on: a file replaced on disk gets a new key, so it is read (and its hash checked) again. */
    private record Key(String name, Path file, long size, long modified) {
    }

    private static final Map<Key, FutureTask<Dataset>> CACHE = new ConcurrentHashMap<>();

    private NpzDataset() {
    }

    /**
     * The dataset {@code name} from {@code file}, read, hashed and parsed once per JVM while the file is unchanged.
     *
     * @param expectedSha256 the SHA-256 the driver recorded for the file, or null to take what is read
     * @throws DatasetException naming the file, the array and what is wrong
     */
    public static Dataset load(String name, Path file, String expectedSha256) throws DatasetException {
        Key key;
        try {
            Path real = file.toRealPath();
            key = new Key(name, real, Files.size(real), Files.getLastModifiedTime(real).toMillis());
        } catch (IOException e) {
            throw new DatasetException(file + ": cannot read the dataset file: " + e, e);
        }
        FutureTask<Dataset> task = new FutureTask<>(() -> read(name, file, expectedSha256));
        FutureTask<Dataset> existing = CACHE.putIfAbsent(key, task);
        if (existing == null) {
            CACHE.keySet().removeIf(k -> k.file().equals(key.file()) && !k.equals(key) && k.name().equals(name));
            task.run();
            existing = task;
        }
        Dataset d;
        try {
            d = existing.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DatasetException("interrupted while waiting for " + file + " to load", e);
        } catch (ExecutionException e) {
            CACHE.remove(key, existing);
            if (e.getCause() instanceof DatasetException de) {
                throw de;
            }
            throw new DatasetException(file + ": loading failed: " + e.getCause(), e.getCause());
        }
        checkSha(file, d.sha256(), expectedSha256);
        return d;
    }

    /** A hash that is not the recorded one says "the file changed" before any parse error could say less. */
    private static Dataset read(String name, Path file, String expectedSha256) throws DatasetException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new DatasetException(file + ": cannot read the dataset file: " + e, e);
        }
        String sha = Sha256.of(bytes);
        checkSha(file, sha, expectedSha256);
        return parse(name, file.toString(), bytes, sha);
    }

    private static void checkSha(Path file, String sha, String expectedSha256) throws DatasetException {
        if (expectedSha256 != null && !expectedSha256.equals(sha)) {
            throw new DatasetException(file + ": SHA-256 is " + sha + " but the sweep recorded " + expectedSha256
                    + "; the file changed after the sweep was planned: run the sweep again");
        }
    }

    /**
     * Parses and validates the npz held in {@code bytes}.
     *
     * @param source the file, for messages
     * @param sha256 the bytes' SHA-256, the dataset's identity
     */
    public static Dataset parse(String name, String source, byte[] bytes, String sha256) throws DatasetException {
        Map<String, NpzReader.Array> arrays = NpzReader.read(source, bytes);
        for (String a : ARRAYS) {
            if (!arrays.containsKey(a)) {
                throw new DatasetException(source + ": array '" + a + "' is missing; the file has "
                        + arrays.keySet() + " and a dataset needs " + ARRAYS);
            }
        }
        NpzReader.Array xTrain = arrays.get("x_train");
        NpzReader.Array xTest = arrays.get("x_test");
        int[] trainChw = chw(source, xTrain);
        int[] testChw = chw(source, xTest);
        if (!Arrays.equals(trainChw, testChw) || nhwc(source, xTrain) != nhwc(source, xTest)) {
            throw new DatasetException(source + ": x_train has shape " + Arrays.toString(xTrain.shape())
                    + " but x_test has " + Arrays.toString(xTest.shape()) + "; both splits need the same layout,"
                    + " channels, height and width");
        }
        long[] yTrain = labels(source, arrays.get("y_train"), xTrain);
        long[] yTest = labels(source, arrays.get("y_test"), xTest);
        long max = Math.max(Arrays.stream(yTrain).max().orElse(0), Arrays.stream(yTest).max().orElse(0));
        if (max < 1 || max >= MAX_CLASSES) {
            throw new DatasetException(source + ": the largest label is " + max + "; labels are 0..K-1 with K (the"
                    + " number of classes) between 2 and " + MAX_CLASSES);
        }
        InputShape shape = new InputShape(trainChw[0], trainChw[1], trainChw[2], (int) max + 1);
        return new Dataset(name, shape, images(source, xTrain), toInts(yTrain), images(source, xTest),
                toInts(yTest), sha256);
    }

    /** Whether {@code x} is NHWC, by the rule in the class comment. */
    private static boolean nhwc(String source, NpzReader.Array x) throws DatasetException {
        int[] s = x.shape();
        boolean second = s[1] == 1 || s[1] == 3;
        boolean last = s[3] == 1 || s[3] == 3;
        if (second && last) {
            throw new DatasetException(source + ": array '" + x.name() + "' has shape " + Arrays.toString(s)
                    + ", ambiguous between NCHW and NHWC (both the second and the last dimension are 1 or 3);"
                    + " give images of more than 3 pixels a side");
        }
        return last;
    }

    private static int[] chw(String source, NpzReader.Array x) throws DatasetException {
        if (x.dtype() != NpzReader.DType.UINT8 && x.dtype() != NpzReader.DType.FLOAT32) {
            throw new DatasetException(source + ": array '" + x.name() + "' is " + x.dtype().numpyName()
                    + "; images must be uint8 (scaled by 1/255) or float32 (taken as they are)");
        }
        int[] s = x.shape();
        if (s.length != 4) {
            throw new DatasetException(source + ": array '" + x.name() + "' has rank " + s.length + " (shape "
                    + Arrays.toString(s) + "); images need rank 4, NCHW or NHWC");
        }
        if (s[0] == 0) {
            throw new DatasetException(source + ": array '" + x.name() + "' holds no images");
        }
        return nhwc(source, x) ? new int[] {s[3], s[1], s[2]} : new int[] {s[1], s[2], s[3]};
    }

    private static long[] labels(String source, NpzReader.Array y, NpzReader.Array x) throws DatasetException {
        if (y.dtype() == NpzReader.DType.FLOAT32) {
            throw new DatasetException(source + ": array '" + y.name() + "' is float32; labels must be integers"
                    + " (int64, int32 or uint8)");
        }
        if (y.shape().length != 1) {
            throw new DatasetException(source + ": array '" + y.name() + "' has rank " + y.shape().length
                    + " (shape " + Arrays.toString(y.shape()) + "); labels need rank 1, one class index per image"
                    + " (not one-hot)");
        }
        if (y.shape()[0] != x.shape()[0]) {
            throw new DatasetException(source + ": array '" + y.name() + "' has " + y.shape()[0] + " labels but '"
                    + x.name() + "' has " + x.shape()[0] + " images");
        }
        long[] v = y.longs();
        for (int i = 0; i < v.length; i++) {
            if (v[i] < 0 || v[i] >= MAX_CLASSES) {
                throw new DatasetException(source + ": array '" + y.name() + "' has label " + v[i] + " at index " + i
                        + "; labels are 0..K-1 with K at most " + MAX_CLASSES);
            }
        }
        return v;
    }

    /** The images as {@code [n][c][h][w]} floats: uint8 scaled by 1/255, float32 as stored. */
    private static float[] images(String source, NpzReader.Array x) throws DatasetException {
        float[] raw = x.floats();
        if (x.dtype() == NpzReader.DType.UINT8) {
            for (int i = 0; i < raw.length; i++) {
                raw[i] /= 255f;
            }
        } else {
            for (int i = 0; i < raw.length; i++) {
                if (!Float.isFinite(raw[i])) {
                    throw new DatasetException(source + ": array '" + x.name() + "' has " + raw[i]
                            + " at flat index " + i + "; images must be finite");
                }
            }
        }
        if (!nhwc(source, x)) {
            return raw;
        }
        int[] s = x.shape();
        int n = s[0];
        int h = s[1];
        int w = s[2];
        int c = s[3];
        float[] out = new float[raw.length];
        for (int i = 0; i < n; i++) {
            for (int y = 0; y < h; y++) {
                for (int xx = 0; xx < w; xx++) {
                    for (int ch = 0; ch < c; ch++) {
                        out[((i * c + ch) * h + y) * w + xx] = raw[((i * h + y) * w + xx) * c + ch];
                    }
                }
            }
        }
        return out;
    }

    private static int[] toInts(long[] v) {
        int[] out = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (int) v[i];
        }
        return out;
    }
}
