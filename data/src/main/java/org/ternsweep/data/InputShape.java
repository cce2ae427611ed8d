package org.ternsweep.data;

/**
 * The shape of a dataset's examples as a network sees them: images of {@code channels × height × width}
 * floats (channel-major, each channel row-major) and labels in {@code [0, classes)}. Networks are built
 * for a shape ({@code ModelZoo}), so every user of a dataset reads it from here.
 *
 * @param channels image channels, e.g. 1 (grey) or 3 (RGB)
 * @param height   image height in pixels
 * @param width    image width in pixels
 * @param classes  number of classes, at least 2
 */
public record InputShape(int channels, int height, int width, int classes) {
    /** Fashion-MNIST's and MNIST's shape: 1×28×28 images, 10 classes. */
    public static final InputShape GREY_28 = new InputShape(1, 28, 28, 10);

    public InputShape {
        if (channels < 1 || height < 1 || width < 1 || classes < 2) {
            throw new IllegalArgumentException("an input shape needs channels, height and width >= 1 and classes >= 2,"
                    + " got " + channels + "x" + height + "x" + width + " with " + classes + " classes");
        }
        if ((long) channels * height * width > Integer.MAX_VALUE / 2) {
            throw new IllegalArgumentException("images of " + channels + "x" + height + "x" + width
                    + " are too large: at most " + Integer.MAX_VALUE / 2 + " values per image");
        }
    }

    /** Values per image: {@code channels × height × width}. */
    public int pixels() {
        return channels * height * width;
    }

    /** The per-image shape {@code [channels, height, width]} (a new array). */
    public int[] imageShape() {
        return new int[] {channels, height, width};
    }

    /** The batch shape {@code [n, channels, height, width]} (a new array). */
    public int[] batchShape(int n) {
        return new int[] {n, channels, height, width};
    }

    @Override
    public String toString() {
        return channels + "x" + height + "x" + width + ", " + classes + " classes";
    }
}
