package org.ternsweep.data;

import java.util.Arrays;
import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.ternsweep.core.Sha256;

/**
 * An image-classification dataset held in memory: 28×28 single-channel images scaled to [0, 1]
 * and integer labels, split into train and test.
 *
 * <p>Images are row-major {@code [n][28*28]} flattened into one {@code float[]}. The arrays are
 * shared, not copied (the training images alone are 188 MB): treat them as read-only. A dataset is
 * loaded once per JVM by {@link Datasets} and handed to every cell.
 *
 * <p>{@code sha256} identifies the content: for a loaded dataset it is the SHA-256 of its four
 * decompressed IDX files concatenated in the fixed order train images, train labels, test images,
 * test labels (see {@link DatasetLoader}). It goes into every cell's provenance and into the
 * model-cache key.
 *
 * @param name        dataset name, e.g. {@code fashion-mnist}
 * @param trainImages training images, {@code trainSize × 784} floats in [0, 1]
 * @param trainLabels training labels in [0, 10)
 * @param testImages  test images, {@code testSize × 784} floats in [0, 1]
 * @param testLabels  test labels in [0, 10)
 * @param sha256      content hash, 64 lower-case hex digits
 */
public record Dataset(String name, float[] trainImages, int[] trainLabels, float[] testImages, int[] testLabels,
                      String sha256) {
    /** Image height and width. */
    public static final int SIDE = 28;
    /** Pixels per image. */
    public static final int PIXELS = SIDE * SIDE;
    /** Number of classes. */
    public static final int CLASSES = 10;

    public Dataset {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(trainImages, "trainImages");
        Objects.requireNonNull(trainLabels, "trainLabels");
        Objects.requireNonNull(testImages, "testImages");
        Objects.requireNonNull(testLabels, "testLabels");
        checkSplit(name, "train", trainImages, trainLabels);
        checkSplit(name, "test", testImages, testLabels);
        if (!Sha256.isHex(sha256)) {
            throw new IllegalArgumentException(name + ": sha256 '" + sha256 + "' must be 64 lower-case hex digits");
        }
    }

    private static void checkSplit(String name, String split, float[] images, int[] labels) {
        if (labels.length == 0) {
            throw new IllegalArgumentException(name + ": the " + split + " split is empty");
        }
        if ((long) labels.length * PIXELS != images.length) {
            throw new IllegalArgumentException(name + ": " + split + " has " + labels.length + " labels but "
                    + images.length + " pixels; expected " + PIXELS + " pixels per label");
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= CLASSES) {
                throw new IllegalArgumentException(name + ": " + split + " label " + i + " is " + labels[i]
                        + "; labels must be in [0, " + CLASSES + ")");
            }
        }
    }

    /** Number of training examples. */
    public int trainSize() {
        return trainLabels.length;
    }

    /** Number of test examples. */
    public int testSize() {
        return testLabels.length;
    }

    /** The training images at {@code indices}, as a float32 {@code [n, 1, 28, 28]} array. */
    public INDArray trainBatch(int[] indices) {
        float[] out = new float[indices.length * PIXELS];
        for (int i = 0; i < indices.length; i++) {
            int idx = checkIndex(indices[i], trainSize(), "training");
            System.arraycopy(trainImages, idx * PIXELS, out, i * PIXELS, PIXELS);
        }
        return images(out, indices.length);
    }

    /** The test images {@code [from, to)}, as a float32 {@code [to - from, 1, 28, 28]} array. */
    public INDArray testImages(int from, int to) {
        checkRange(from, to, testSize());
        return images(Arrays.copyOfRange(testImages, from * PIXELS, to * PIXELS), to - from);
    }

    /** The training labels at {@code indices}. */
    public int[] trainLabels(int[] indices) {
        int[] out = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            out[i] = trainLabels[checkIndex(indices[i], trainSize(), "training")];
        }
        return out;
    }

    /** The test labels {@code [from, to)}. */
    public int[] testLabels(int from, int to) {
        checkRange(from, to, testSize());
        return Arrays.copyOfRange(testLabels, from, to);
    }

    /** Labels as a float32 one-hot {@code [n, 10]} array, the form DL4J's output layers expect. */
    public static INDArray oneHot(int[] labels) {
        INDArray out = Nd4j.zeros(DataType.FLOAT, labels.length, CLASSES);
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= CLASSES) {
                throw new IllegalArgumentException("label " + labels[i] + " at " + i + " is outside [0, " + CLASSES
                        + ")");
            }
            out.putScalar(i, labels[i], 1.0);
        }
        return out;
    }

    /**
     * The first {@code trainN} training and {@code testN} test examples, for fast tests. Its
     * {@code sha256} is derived from this dataset's and the sizes, so a model trained on a subset
     * can never be mistaken in the model cache for one trained on the full set.
     */
    public Dataset subset(int trainN, int testN) {
        if (trainN < 1 || trainN > trainSize() || testN < 1 || testN > testSize()) {
            throw new IllegalArgumentException(name + ": subset(" + trainN + ", " + testN + ") must be within [1, "
                    + trainSize() + "] and [1, " + testSize() + "]");
        }
        if (trainN == trainSize() && testN == testSize()) {
            return this;
        }
        String sub = Sha256.of((sha256 + ":subset:" + trainN + ":" + testN)
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return new Dataset(name, Arrays.copyOf(trainImages, trainN * PIXELS), Arrays.copyOf(trainLabels, trainN),
                Arrays.copyOf(testImages, testN * PIXELS), Arrays.copyOf(testLabels, testN), sub);
    }

    private static INDArray images(float[] data, int n) {
        return Nd4j.create(data, new long[] {n, 1, SIDE, SIDE}, 'c');
    }

    private int checkIndex(int idx, int size, String split) {
        if (idx < 0 || idx >= size) {
            throw new IndexOutOfBoundsException(name + ": " + split + " index " + idx + " is outside [0, " + size
                    + ")");
        }
        return idx;
    }

    private void checkRange(int from, int to, int size) {
        if (from < 0 || to > size || from > to) {
            throw new IndexOutOfBoundsException(name + ": test range [" + from + ", " + to + ") is outside [0, "
                    + size + "]");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Dataset d && name.equals(d.name) && sha256.equals(d.sha256);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, sha256);
    }

    @Override
    public String toString() {
        return "Dataset[" + name + ", train=" + trainSize() + ", test=" + testSize() + ", sha256=" + sha256 + "]";
    }
}
