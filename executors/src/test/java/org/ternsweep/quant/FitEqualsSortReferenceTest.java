package org.ternsweep.quant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.ternsweep.catalog.MQuantOptions;
import org.ternsweep.core.Seeds;

/**
 * The selection-based mquant fit and the run-by-run codes and quantized values are bitwise the sort-based
 * definitions ({@link SortReferenceFit}): λ, t (both signs), codes and values, for every operator and option
 * (level mean|median|double × symmetric true|false), on groups of 1..3000 weights with ties, zeros of both
 * signs, all-equal, one-signed, skewed, double-valued and extreme-range weights, per tensor and per channel.
 */
class FitEqualsSortReferenceTest {

    /** Kinds of weight groups; float-valued unless the name says otherwise, as QAT's weights are. */
    enum Kind {
        GAUSSIAN, GAUSSIAN_DOUBLES, LAPLACE, SKEWED, NEGATIVE_ONLY, POSITIVE_ONLY,
        /** Few distinct values, many ties, both signs. */
        TIES,
        /** Mostly zeros of both signs, some weights. */
        ZEROS,
        /** Only +0.0 and -0.0. */
        SIGNED_ZEROS,
        /** One value repeated (random sign and scale). */
        ALL_EQUAL,
        /** Magnitudes from 1e-30 to 1e30: ascending sums are not exact, so the sum must sort. */
        WIDE_RANGE,
        /** Subnormal floats. */
        SUBNORMAL,
        /** Doubles with magnitudes from 1e-200 to 1e200. */
        WIDE_DOUBLES;

        double draw(SplittableRandom r, double scale, double constant) {
            double x = switch (this) {
                case GAUSSIAN, GAUSSIAN_DOUBLES -> scale * r.nextGaussian();
                case LAPLACE -> {
                    double u = r.nextDouble() - 0.5;
                    yield -scale * Math.signum(u) * Math.log(1 - 2 * Math.abs(u));
                }
                case SKEWED -> scale * (-Math.log(1 - r.nextDouble()) - 0.4);
                case NEGATIVE_ONLY -> -scale * Math.abs(r.nextGaussian()) - Double.MIN_NORMAL;
                case POSITIVE_ONLY -> scale * Math.abs(r.nextGaussian()) + Double.MIN_NORMAL;
                case TIES -> scale * (r.nextInt(7) - 3) / 2.0;
                case ZEROS -> r.nextInt(4) == 0 ? scale * r.nextGaussian() : (r.nextBoolean() ? 0.0 : -0.0);
                case SIGNED_ZEROS -> r.nextBoolean() ? 0.0 : -0.0;
                case ALL_EQUAL -> constant;
                case WIDE_RANGE -> (r.nextBoolean() ? 1 : -1) * Math.pow(10, r.nextDouble(-30, 30));
                case SUBNORMAL -> (r.nextBoolean() ? 1 : -1) * Float.MIN_VALUE * r.nextInt(1, 1 << 20);
                case WIDE_DOUBLES -> (r.nextBoolean() ? 1 : -1) * Math.pow(10, r.nextDouble(-200, 200));
            };
            return this == GAUSSIAN_DOUBLES || this == WIDE_DOUBLES ? x : (float) x;
        }
    }

    static List<TernaryOperator> operators() {
        List<TernaryOperator> ops = new ArrayList<>(List.of(new NativeOperator(), new TQuantOperator()));
        for (MQuantOptions.Level level : MQuantOptions.Level.values()) {
            ops.add(new MQuantOperator(level, true));
            ops.add(new MQuantOperator(level, false));
        }
        return ops;
    }

    static Stream<Arguments> kinds() {
        return Stream.of(Kind.values()).map(Arguments::of);
    }

    private static double[] draw(Kind kind, int n, SplittableRandom r) {
        double scale = Math.pow(10, r.nextDouble(-3, 1));
        double constant = (float) ((r.nextBoolean() ? 1 : -1) * scale * r.nextDouble());
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = kind.draw(r, scale, constant);
        }
        return v;
    }

    private static void assertBitwise(double[] expected, double[] actual, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            if (Double.doubleToRawLongBits(expected[i]) != Double.doubleToRawLongBits(actual[i])) {
                fail(what + "[" + i + "]: expected " + expected[i] + " but was " + actual[i]);
            }
        }
    }

    private static void assertSameAsReference(TernaryOperator op, double[] v, GroupLayout layout, String where) {
        TernaryFit expected = SortReferenceFit.fit(op, v.clone(), layout);
        double[] input = v.clone();
        TernaryFit actual = op.fit(input, layout);
        String what = op + " " + where;
        assertBitwise(v, input, what + ": input untouched");
        assertBitwise(expected.lambda(), actual.lambda(), what + " lambda");
        assertBitwise(expected.threshold(), actual.threshold(), what + " threshold");
        assertBitwise(expected.negativeLambda(), actual.negativeLambda(), what + " negativeLambda");
        assertBitwise(expected.negativeThreshold(), actual.negativeThreshold(), what + " negativeThreshold");
        assertBitwise(SortReferenceFit.codes(expected, v), actual.codes(v), what + " codes");
        assertBitwise(SortReferenceFit.quantize(expected, v), actual.quantize(v), what + " values");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void perTensorGroupsOfOneToThreeThousandWeights(Kind kind) {
        SplittableRandom r = Seeds.stream(7, "fit-vs-sort:" + kind);
        List<Integer> sizes = new ArrayList<>(List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 15, 16, 17, 18, 31, 32, 33, 2999, 3000));
        for (int i = 0; i < 30; i++) {
            sizes.add(r.nextInt(1, 3001));
        }
        for (int n : sizes) {
            double[] v = draw(kind, n, r);
            GroupLayout layout = new GroupLayout(new long[] {n}, -1);
            for (TernaryOperator op : operators()) {
                assertSameAsReference(op, v, layout, kind + " n=" + n);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void perChannelGroupsOfConvAndDenseLayouts(Kind kind) {
        SplittableRandom r = Seeds.stream(7, "fit-vs-sort-channels:" + kind);
        long[][] shapes = {{32, 16, 5, 5}, {6, 1, 3, 3}, {1, 1, 1, 1}, {512, 128}, {64, 10}, {3, 1}};
        int[] axes = {0, 0, 0, 1, 1, 1};
        for (int s = 0; s < shapes.length; s++) {
            GroupLayout shapeOnly = new GroupLayout(shapes[s], -1);
            double[] v = draw(kind, shapeOnly.length(), r);
            for (Granularity g : Granularity.values()) {
                GroupLayout layout = GroupLayout.of(shapes[s], g, axes[s]);
                for (TernaryOperator op : operators()) {
                    assertSameAsReference(op, v, layout, kind + " " + layout);
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Granularity.class)
    void arrayEntryPointEqualsTheTensorEntryPointForFloatAndFortranOrderWeights(Granularity g) {
        SplittableRandom r = Seeds.stream(7, "fit-array-vs-tensor:" + g);
        float[] w = new float[512 * 128];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (0.05 * r.nextGaussian());
        }
        double[] v = new double[w.length];
        for (int i = 0; i < w.length; i++) {
            v[i] = w[i];
        }
        long[] shape = {512, 128};
        GroupLayout layout = GroupLayout.of(shape, g, 1);
        for (TernaryOperator op : operators()) {
            for (char order : new char[] {'c', 'f'}) {
                TernaryFit fromTensor = op.fit(Nd4j.create(w, shape, 'c').dup(order), g, 1);
                TernaryFit fromArray = op.fit(v, layout);
                assertEquals(fromTensor, fromArray, op + " " + g + " order " + order);
                assertBitwise(TestTensors.values(op.quantize(Nd4j.create(v, shape, DataType.DOUBLE), fromTensor)),
                        fromArray.quantize(v), op + " " + g + " values");
            }
        }
    }
}
