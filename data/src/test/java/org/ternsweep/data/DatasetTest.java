package org.ternsweep.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class DatasetTest {
    private static final String SHA = "0".repeat(64);

    /** Image i has every pixel equal to i / 100; label i % 10. */
    private static Dataset synthetic(int train, int test) {
        float[] trX = new float[train * 784];
        for (int i = 0; i < trX.length; i++) {
            trX[i] = (i / 784) / 100f;
        }
        float[] teX = new float[test * 784];
        for (int i = 0; i < teX.length; i++) {
            teX[i] = (i / 784) / 100f + 0.5f;
        }
        int[] trY = new int[train];
        int[] teY = new int[test];
        for (int i = 0; i < train; i++) {
            trY[i] = i % 10;
        }
        for (int i = 0; i < test; i++) {
            teY[i] = (i + 3) % 10;
        }
        return new Dataset("synthetic", trX, trY, teX, teY, SHA);
    }

    @Test
    void batchesAreFloat32NchwInIndexOrder() {
        Dataset d = synthetic(20, 5);
        INDArray b = d.trainBatch(new int[] {7, 2, 7});
        assertArrayEquals(new long[] {3, 1, 28, 28}, b.shape());
        assertEquals(DataType.FLOAT, b.dataType());
        assertEquals(0.07f, b.getFloat(0, 0, 27, 27), 1e-7);
        assertEquals(0.02f, b.getFloat(1, 0, 0, 0), 1e-7);
        assertEquals(0.07f, b.getFloat(2, 0, 13, 3), 1e-7);
        assertArrayEquals(new int[] {7, 2, 7}, d.trainLabels(new int[] {7, 2, 7}));

        INDArray t = d.testImages(1, 4);
        assertArrayEquals(new long[] {3, 1, 28, 28}, t.shape());
        assertEquals(0.51f, t.getFloat(0, 0, 5, 5), 1e-6);
        assertArrayEquals(new int[] {4, 5, 6}, d.testLabels(1, 4));
    }

    @Test
    void indicesOutOfRangeAreRejected() {
        Dataset d = synthetic(4, 2);
        assertThrows(IndexOutOfBoundsException.class, () -> d.trainBatch(new int[] {4}));
        assertThrows(IndexOutOfBoundsException.class, () -> d.trainLabels(new int[] {-1}));
        assertThrows(IndexOutOfBoundsException.class, () -> d.testImages(1, 3));
    }

    @Test
    void oneHotHasOneOnePerRow() {
        INDArray y = Dataset.oneHot(new int[] {3, 0, 9}, 10);
        assertArrayEquals(new long[] {3, 10}, y.shape());
        assertEquals(3.0, y.sumNumber().doubleValue());
        assertEquals(1.0, y.getDouble(0, 3));
        assertEquals(1.0, y.getDouble(2, 9));
        assertThrows(IllegalArgumentException.class, () -> Dataset.oneHot(new int[] {10}, 10));
    }

    @Test
    void subsetIsAPrefixWithItsOwnHash() {
        Dataset d = synthetic(30, 10);
        Dataset s = d.subset(12, 4);
        assertEquals(12, s.trainSize());
        assertEquals(4, s.testSize());
        assertArrayEquals(d.trainLabels(new int[] {11}), s.trainLabels(new int[] {11}));
        assertNotEquals(d.sha256(), s.sha256());
        assertNotEquals(s.sha256(), d.subset(12, 5).sha256());
        assertEquals(s.sha256(), d.subset(12, 4).sha256(), "a subset's hash is a function of the parent and sizes");
        assertSame(d, d.subset(30, 10));
        assertThrows(IllegalArgumentException.class, () -> d.subset(31, 1));
    }

    @Test
    void constructorValidates() {
        IllegalArgumentException label = assertThrows(IllegalArgumentException.class,
                () -> new Dataset("x", new float[784], new int[] {10}, new float[784], new int[] {0}, SHA));
        assertTrue(label.getMessage().contains("label 0 is 10"), label.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new Dataset("x", new float[783], new int[] {1}, new float[784], new int[] {0}, SHA));
        assertThrows(IllegalArgumentException.class,
                () -> new Dataset("x", new float[784], new int[] {1}, new float[784], new int[] {0}, "abc"));
    }
}
