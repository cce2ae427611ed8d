package org.ternsweep.data;

import java.util.Arrays;
import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.ternsweep.core.Sha256;

/**
 * An image-classification dataset held in memory: images of one {@link InputShape} (channels × height ×
 * width, values as loaded: [0, 1] for byte images) and integer labels, split into train and test.
 *
 * <p>Images are {@code [n][channels][height][width]} (channel-major, each channel row-major) flattened into
 * one {@code float[]}. The arrays are shared, not copied (Fashion-MNIST's training images alone are 188 MB):
 * treat them as read-only. A dataset is loaded once per JVM ({@link Datasets}, or the executor's cache of
 * user datasets) and handed to every cell.
 *
 * <p>{@code sha256} identifies the content: for a loaded dataset it is the SHA-256 of its four
 * decompressed IDX files concatenated in the fixed order train images, train labels, test images,
 * test labels (see {@link DatasetLoader}). It goes into every cell's provenance and into the
 * model-cache key.
 *
 * @param name        dataset name, e.g. {@code fashion-mnist}
 * @param shape       image shape and number of classes
 * @param trainImages training images, {@code trainSize × shape.pixels()} floats
 * @param trainLabels training labels in [0, classes)
 * @param testImages  test images, {@code testSize × shape.pixels()} floats
 * @param testLabels  test labels in [0, classes)
 * @param sha256      content hash, 64 lower-case hex digits
 */
public record Dataset(String name, InputShape shape, float[] trainImages, int[] trainLabels, float[] testImages,
                      int[] testLabels, String sha256) {
    public Dataset {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(trainImages, "trainImages");
        Objects.requireNonNull(trainLabels, "trainLabels");
        Objects.requireNonNull(testImages, "testImages");
        Objects.requireNonNull(testLabels, "testLabels");
        checkSplit(name, shape, "train", trainImages, trainLabels);
        checkSplit(name, shape, "test", testImages, testLabels);
        if (!Sha256.isHex(sha256)) {
            throw new IllegalArgumentException(name + ": sha256 '" + sha256 + "' must be 64 lower-case hex digits");
        }
    }

    /** A dataset of 1×28×28 images and 10 classes, the shape of Fashion-MNIST and MNIST. */
    public Dataset(String name, float[] trainImages, int[] trainLabels, float[] testImages, int[] testLabels,
                   String sha256) {
        this(name, InputShape.GREY_28, trainImages, trainLabels, testImages, testLabels, sha256);
    }

    private static void checkSplit(String name, InputShape shape, String split, float[] images, int[] labels) {
        int pixels = shape.pixels();
        int classes = shape.classes();
        if (labels.length == 0) {
            throw new IllegalArgumentException(name + ": the " + split + " split is empty");
        }
        if ((long) labels.length * pixels != images.length) {
            throw new IllegalArgumentException(name + ": " + split + " has " + labels.length + " labels but "
                    + images.length + " pixels; expected " + pixels + " pixels (" + shape + ") per label");
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new IllegalArgumentException(name + ": " + split + " label " + i + " is " + labels[i]
                        + "; labels must be in [0, " + classes + ")");
            }
        }
    }

    /** Image channels. */
    public int channels() {
        return shape.channels();
    }

    /** Image height. */
    public int height() {
        return shape.height();
    }

    /** Image width. */
    public int width() {
        return shape.width();
    }

    /** Number of classes: labels are in {@code [0, classes)}. */
    public int classes() {
        return shape.classes();
    }

    /** Values per image, {@code channels × height × width}. */
    public int pixels() {
        return shape.pixels();
    }

    /** Number of training examples. */
    public int trainSize() {
        return trainLabels.length;
    }

    /** Number of test examples. */
    public int testSize() {
        return testLabels.length;
    }

    /** The training images at {@code indices}, as a float32 {@code [n, channels, height, width]} array. */
    public INDArray trainBatch(int[] indices) {
        int pixels = pixels();
        float[] out = new float[indices.length * pixels];
        for (int i = 0; i < indices.length; i++) {
            int idx = checkIndex(indices[i], trainSize(), "training");
            System.arraycopy(trainImages, idx * pixels, out, i * pixels, pixels);
        }
        return images(out, indices.length);
    }

    /** The test images {@code [from, to)}, as a float32 {@code [to - from, channels, height, width]} array. */
    public INDArray testImages(int from, int to) {
        checkRange(from, to, testSize());
        return images(Arrays.copyOfRange(testImages, from * pixels(), to * pixels()), to - from);
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

    /** Labels as a float32 one-hot {@code [n, classes]} array, the form DL4J's output layers expect. */
    public static INDArray oneHot(int[] labels, int classes) {
        INDArray out = Nd4j.zeros(DataType.FLOAT, labels.length, classes);
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new IllegalArgumentException("label " + labels[i] + " at " + i + " is outside [0, " + classes
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
        return new Dataset(name, shape, Arrays.copyOf(trainImages, trainN * pixels()),
                Arrays.copyOf(trainLabels, trainN), Arrays.copyOf(testImages, testN * pixels()),
                Arrays.copyOf(testLabels, testN), sub);
    }

    private INDArray images(float[] data, int n) {
        return Nd4j.create(data, new long[] {n, shape.channels(), shape.height(), shape.width()}, 'c');
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
        return "Dataset[" + name + ", " + shape + ", train=" + trainSize() + ", test=" + testSize() + ", sha256="
                + sha256 + "]";
    }
}
