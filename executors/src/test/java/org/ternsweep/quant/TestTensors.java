package org.ternsweep.quant;

import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.ternsweep.core.Seeds;

/** Random weight tensors for the quantizer tests, drawn from Seeds so that every run sees the same numbers. */
final class TestTensors {
    private TestTensors() {
    }

    /** Weight distributions of the contract tests (spec §2). */
    enum Distribution {
        GAUSSIAN, LAPLACE, UNIFORM,
        /** Shifted exponential: mostly positive with a long right tail, the case asymmetric thresholds target. */
        SKEWED;

        double draw(SplittableRandom r) {
            return switch (this) {
                case GAUSSIAN -> r.nextGaussian();
                case LAPLACE -> {
                    double u = r.nextDouble() - 0.5;
                    yield -Math.signum(u) * Math.log(1 - 2 * Math.abs(u));
                }
                case UNIFORM -> r.nextDouble(-1, 1);
                case SKEWED -> -Math.log(1 - r.nextDouble()) - 0.4;
            };
        }
    }

    /** Weight tensor shapes and their output-channel axis in DL4J layout. */
    enum Shape {
        /** conv [out, in, kh, kw]: output axis 0, groups of 72 weights. */
        CONV(new long[] {16, 8, 3, 3}, 0),
        /** dense [nIn, nOut]: output axis 1, groups of 512 weights; built in 'f' order like DL4J's parameter views. */
        DENSE(new long[] {512, 128}, 1);

        final long[] dims;
        final int outputAxis;

        Shape(long[] dims, int outputAxis) {
            this.dims = dims;
            this.outputAxis = outputAxis;
        }
    }

    /** A float tensor of weights of scale 0.05 (typical of a trained layer), C or 'f' order by shape. */
    static INDArray weights(Distribution d, Shape shape, long seed) {
        INDArray w = weights(d, shape.dims, seed);
        return shape == Shape.DENSE ? w.dup('f') : w;
    }

    /** A float C-order tensor of weights of scale 0.05 of any shape. */
    static INDArray weights(Distribution d, long[] dims, long seed) {
        SplittableRandom r = Seeds.stream(seed, "quant-test:" + d);
        long n = 1;
        for (long x : dims) {
            n *= x;
        }
        float[] v = new float[(int) n];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (0.05 * d.draw(r));
        }
        return Nd4j.create(v, dims, 'c');
    }

    /** The tensor as C-order doubles. */
    static double[] values(INDArray a) {
        return a.dup('c').castTo(DataType.DOUBLE).data().asDouble();
    }
}
