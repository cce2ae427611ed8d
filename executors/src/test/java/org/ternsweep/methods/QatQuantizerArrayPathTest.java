package org.ternsweep.methods;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.ternsweep.core.Seeds;
import org.ternsweep.models.Nd4jArrays;
import org.ternsweep.quant.Granularity;
import org.ternsweep.quant.GroupLayout;
import org.ternsweep.quant.Int8Quantizer;
import org.ternsweep.quant.RegisteredOperators;
import org.ternsweep.quant.TernaryFit;
import org.ternsweep.quant.TernaryOperator;

/**
 * QAT's per-step ternary quantization through the operators' array entry point gives bitwise the fit and
 * the float values of the INDArray path it replaced ({@code op.fit} and {@code op.quantize} on a float
 * array of the folded weights, read back with {@code Nd4jArrays.floats}), for every operator and option,
 * both granularities, conv and dense layouts; likewise for the int8 first and last layers.
 */
class QatQuantizerArrayPathTest {

    @Test
    void arrayPathEqualsTheTensorPathBitwise() {
        SplittableRandom r = Seeds.stream(11, "qat-array-path");
        long[][] shapes = {{32, 16, 5, 5}, {512, 128}, {8, 4, 3, 3}};
        int[] axes = {0, 1, 0};
        for (int s = 0; s < shapes.length; s++) {
            int n = (int) (shapes[s][0] * shapes[s][1] * (shapes[s].length == 4 ? shapes[s][2] * shapes[s][3] : 1));
            float[] w = new float[n];
            for (int i = 0; i < n; i++) {
                // skewed, with exact zeros of both signs and ties, as folded weights can be
                int kind = r.nextInt(10);
                w[i] = kind == 0 ? 0f : kind == 1 ? -0f : kind == 2 ? 0.125f
                        : (float) (0.05 * (r.nextGaussian() + (s == 2 ? 0.7 : 0)));
            }
            INDArray original = Nd4j.create(w.clone(), shapes[s], 'c');
            float[] expectedInt8 = Nd4jArrays.floats(Int8Quantizer.quantize(original, axes[s]));
            float[] int8 = new float[n];
            QatQuantizer.quantizeInt8(GroupLayout.of(shapes[s], Granularity.PER_CHANNEL, axes[s]), w, int8);
            assertBitwise(expectedInt8, int8, "int8 " + java.util.Arrays.toString(shapes[s]));
            for (Granularity g : Granularity.values()) {
                GroupLayout layout = GroupLayout.of(shapes[s], g, axes[s]);
                for (TernaryOperator op : RegisteredOperators.everyCombination()) {
                    INDArray fa = Nd4j.create(w.clone(), shapes[s], 'c');
                    TernaryFit expectedFit = op.fit(fa, g, axes[s]);
                    float[] expected = Nd4jArrays.floats(op.quantize(fa, expectedFit));
                    float[] q = new float[n];
                    TernaryFit fit = QatQuantizer.quantizeTernary(op, layout, w, q);
                    String what = op + " " + layout;
                    assertEquals(expectedFit, fit, what + ": fit");
                    assertBitwise(expected, q, what);
                }
            }
        }
    }

    private static void assertBitwise(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToRawIntBits(expected[i]) != Float.floatToRawIntBits(actual[i])) {
                fail(what + ": value " + i + " expected " + expected[i] + " but was " + actual[i]);
            }
        }
    }
}
