package org.ternsweep.quant;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.ternsweep.quant.TestTensors.Distribution;
import org.ternsweep.quant.TestTensors.Shape;

/**
 * The properties every ternary operator must have (spec §1–§2), run for every operator × granularity ×
 * weight distribution × layer shape, in the style of Apache Commons RNG's ProvidersCommonParametricTest.
 */
class TernaryOperatorContractTest {

    /** Every registered operator in every combination of its choice and boolean options. */
    static List<TernaryOperator> operators() {
        return RegisteredOperators.everyCombination();
    }

    static Stream<Arguments> everyCase() {
        List<Arguments> out = new ArrayList<>();
        for (TernaryOperator op : operators()) {
            for (Granularity g : Granularity.values()) {
                for (Distribution d : Distribution.values()) {
                    for (Shape s : Shape.values()) {
                        out.add(Arguments.of(op, g, d, s));
                    }
                }
            }
        }
        return out.stream();
    }

    static Stream<Arguments> operatorsAndGranularities() {
        List<Arguments> out = new ArrayList<>();
        for (TernaryOperator op : operators()) {
            for (Granularity g : Granularity.values()) {
                out.add(Arguments.of(op, g));
            }
        }
        return out.stream();
    }

    private static long seedOf(Distribution d, Shape s) {
        return 17L * d.ordinal() + s.ordinal();
    }

    @ParameterizedTest(name = "{0} {1} {2} {3}")
    @MethodSource("everyCase")
    void codesAreTernaryAndQuantizedValuesAreLevelTimesCode(TernaryOperator op, Granularity g, Distribution d, Shape s) {
        INDArray w = TestTensors.weights(d, s, seedOf(d, s));
        TernaryFit fit = op.fit(w, g, s.outputAxis);
        INDArray codes = op.codes(w, fit);
        INDArray q = op.quantize(w, fit);
        assertArrayEquals(w.shape(), q.shape());
        assertEquals(w.dataType(), q.dataType());
        assertEquals(w.ordering(), q.ordering());
        double[] c = TestTensors.values(codes);
        double[] qv = TestTensors.values(q);
        double[] wv = TestTensors.values(w);
        int[] group = fit.layout().groupIndex();
        for (int i = 0; i < c.length; i++) {
            double ci = c[i];
            assertTrue(ci == -1 || ci == 0 || ci == 1, "code " + ci + " at " + i);
            double expected = ci > 0 ? fit.lambda(group[i]) : ci < 0 ? -fit.negativeLambda(group[i]) : 0;
            assertEquals((float) expected, (float) qv[i], "value at " + i);
            if (ci != 0) {
                assertEquals(Math.signum(wv[i]), ci, "a code keeps its weight's sign at " + i);
            }
        }
    }

    @ParameterizedTest(name = "{0} {1} {2} {3}")
    @MethodSource("everyCase")
    void quantizingTwiceKeepsTheCodes(TernaryOperator op, Granularity g, Distribution d, Shape s) {
        INDArray w = TestTensors.weights(d, s, seedOf(d, s));
        TernaryFit fit = op.fit(w, g, s.outputAxis);
        INDArray q = op.quantize(w, fit);
        INDArray again = op.codes(q, op.fit(q, g, s.outputAxis));
        assertArrayEquals(TestTensors.values(op.codes(w, fit)), TestTensors.values(again));
    }

    @ParameterizedTest(name = "{0} {1} {2} {3}")
    @MethodSource("everyCase")
    void scalingTheWeightsScalesTheQuantizedWeights(TernaryOperator op, Granularity g, Distribution d, Shape s) {
        INDArray w = TestTensors.weights(d, s, seedOf(d, s));
        double[] q = TestTensors.values(op.quantize(w, g, s.outputAxis));
        // Powers of two scale floats exactly, so the property must hold bit for bit.
        for (double a : new double[] {0.25, 8.0}) {
            double[] qa = TestTensors.values(op.quantize(w.mul(a), g, s.outputAxis));
            double[] expected = Arrays.stream(q).map(x -> a * x).toArray();
            assertArrayEquals(expected, qa, "Q(" + a + "·w)");
        }
    }

    @ParameterizedTest(name = "{0} {1} {2} {3}")
    @MethodSource("everyCase")
    void fitIsFiniteAndGroupedAsAsked(TernaryOperator op, Granularity g, Distribution d, Shape s) {
        INDArray w = TestTensors.weights(d, s, seedOf(d, s));
        TernaryFit fit = op.fit(w, g, s.outputAxis);
        int expectedGroups = g == Granularity.PER_TENSOR ? 1 : (int) s.dims[s.outputAxis];
        assertEquals(expectedGroups, fit.groups());
        for (int k = 0; k < fit.groups(); k++) {
            assertTrue(fit.lambda(k) > 0 && fit.threshold(k) >= 0 && fit.negativeLambda(k) > 0,
                    "group " + k + " of " + fit);
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("operatorsAndGranularities")
    void anAllZeroGroupGivesZeroLevelAndZeroCodes(TernaryOperator op, Granularity g) {
        INDArray w = TestTensors.weights(Distribution.GAUSSIAN, Shape.CONV.dims, 5);
        w.get(NDArrayIndex.point(3), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all()).assign(0);
        TernaryFit fit = op.fit(w, g, 0);
        double[] q = TestTensors.values(op.quantize(w, fit));
        assertTrue(Arrays.stream(q).allMatch(Double::isFinite));
        if (g == Granularity.PER_CHANNEL) {
            assertAll(() -> assertEquals(0.0, fit.lambda(3)), () -> assertEquals(0.0, fit.threshold(3)),
                    () -> assertEquals(0.0, fit.negativeLambda(3)), () -> assertEquals(0.0, fit.negativeThreshold(3)));
            int per = 8 * 3 * 3;
            for (int i = 3 * per; i < 4 * per; i++) {
                assertEquals(0.0, q[i]);
            }
        }
        INDArray zeros = w.mul(0);
        TernaryFit zeroFit = op.fit(zeros, g, 0);
        for (int k = 0; k < zeroFit.groups(); k++) {
            assertEquals(0.0, zeroFit.lambda(k));
            assertEquals(0.0, zeroFit.threshold(k));
        }
        assertTrue(Arrays.stream(TestTensors.values(op.quantize(zeros, zeroFit))).allMatch(x -> x == 0.0));
        assertTrue(Arrays.stream(TestTensors.values(op.codes(zeros, zeroFit))).allMatch(x -> x == 0.0));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("operatorsAndGranularities")
    void aWeightExactlyAtTheThresholdMapsToZero(TernaryOperator op, Granularity g) {
        INDArray w = TestTensors.weights(Distribution.LAPLACE, Shape.CONV.dims, 9).castTo(
                org.nd4j.linalg.api.buffer.DataType.DOUBLE);
        TernaryFit fit = op.fit(w, g, 0);
        INDArray atThreshold = w.dup();
        int per = 8 * 3 * 3;
        for (int k = 0; k < 16; k++) {
            int group = g == Granularity.PER_TENSOR ? 0 : k;
            atThreshold.putScalar(new long[] {k, 0, 0, 0}, fit.threshold(group));
            atThreshold.putScalar(new long[] {k, 0, 0, 1}, -fit.negativeThreshold(group));
            atThreshold.putScalar(new long[] {k, 0, 0, 2}, Math.nextUp(fit.threshold(group)));
        }
        double[] c = TestTensors.values(op.codes(atThreshold, fit));
        for (int k = 0; k < 16; k++) {
            assertEquals(0.0, c[k * per], "w = t in group " + k);
            assertEquals(0.0, c[k * per + 1], "w = -t in group " + k);
            assertEquals(1.0, c[k * per + 2], "w just above t in group " + k);
        }
    }
}
