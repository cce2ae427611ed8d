package org.ternsweep.results.stats;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.ternsweep.core.Seeds;

/**
 * ε<sub>W2</sub> and ε<sub>min</sub> on hand-worked cases and against precision_reference.py, which integrates
 * over quantile vectors expanded to a common length lcm(n, m) (a different route than the merged breakpoints
 * here) and draws the same bootstrap resamples. Tolerance 1e-12: the same sums in another order.
 */
class AlmostStochasticOrderTest {

    @Test
    void handWorkedUnequalSizes() {
        // A = {0, 5} (n = 2), B = {1, 2, 3} (m = 3). Quantile functions on the merged breakpoints 1/3, 1/2, 2/3:
        //   (0, 1/3]    A 0, B 1: d = −1, d² = 1, length 1/3 → 1/3   (A below B: violation)
        //   (1/3, 1/2]  A 0, B 2: d = −2, d² = 4, length 1/6 → 2/3   (violation)
        //   (1/2, 2/3]  A 5, B 2: d =  3, d² = 9, length 1/6 → 3/2
        //   (2/3, 1]    A 5, B 3: d =  2, d² = 4, length 1/3 → 4/3
        // W2² = 1/3 + 2/3 + 3/2 + 4/3 = 23/6; violation 1/3 + 2/3 = 1 = 6/6; ε(A over B) = 6/23, ε(B over A) = 17/23
        assertEquals(6.0 / 23.0, AlmostStochasticOrder.epsilonW2(new double[] {0, 5}, new double[] {1, 2, 3}), 1e-15);
        assertEquals(17.0 / 23.0, AlmostStochasticOrder.epsilonW2(new double[] {1, 2, 3}, new double[] {0, 5}), 1e-15);
        assertEquals(6.0 / 23.0, AlmostStochasticOrder.epsilonW2(new double[] {5, 0}, new double[] {3, 1, 2}), 1e-15,
                "the order of the values does not matter");
    }

    @Test
    void handWorkedBootstrapOfThreeResamples() {
        // A = {0, 3}, B = {1, 2}: quantiles (0, 1/2] 0 vs 1, (1/2, 1] 3 vs 2; d² 1 and 1, half of it violated: ε = 0.5.
        // SplittableRandom(1987) draws, per resample, A's indices then B's (precision_reference.py prints them):
        //   [0, 1] [1, 0] → A {0, 3}, B {2, 1}: ε* = 0.5
        //   [1, 1] [0, 0] → A {3, 3}, B {1, 1}: ε* = 0 (A above B everywhere)
        //   [0, 1] [1, 0] → ε* = 0.5
        // mean 1/3, sd (divisor 2) = √((1/36 + 1/9 + 1/36)/2) = √(1/12) = 0.288675...;
        // ε_min = 0.5 + z(0.95)·√(1/12) = 0.5 + 1.6448536269514722 · 0.28867513459481287 = 0.97482834...
        AlmostStochasticOrder.Result r = AlmostStochasticOrder.test(new double[] {0, 3}, new double[] {1, 2}, 3,
                Bootstrap.SEED, 0.95);
        assertEquals(0.5, r.epsilonW2(), 0.0);
        assertEquals(Math.sqrt(1.0 / 12.0), r.bootstrapSd(), 1e-15);
        assertEquals(0.5 + 1.6448536269514722 * Math.sqrt(1.0 / 12.0), r.epsilonMin(), 1e-12);
        assertEquals(3, r.resamplesUsed());
        assertFalse(r.aAlmostLarger());
    }

    static Stream<Arguments> asoCases() {
        return PrecisionReference.cases("aso").stream().map(c -> Arguments.of(c.get("name").asText(), c));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("asoCases")
    void matchesTheReferenceScript(String name, JsonNode c) {
        AlmostStochasticOrder.Result r = AlmostStochasticOrder.test(PrecisionReference.doubles(c.get("a")),
                PrecisionReference.doubles(c.get("b")), c.get("resamples").asInt(), c.get("seed").asLong(),
                c.get("confidence").asDouble());
        assertAll(name,
                () -> assertEquals(c.get("epsilon_w2").asDouble(), r.epsilonW2(), 1e-12),
                () -> assertEquals(c.get("bootstrap_sd").asDouble(), r.bootstrapSd(), 1e-12),
                () -> assertEquals(c.get("epsilon_min").asDouble(), r.epsilonMin(), 1e-12),
                () -> assertEquals(c.get("resamples_used").asInt(), r.resamplesUsed()));
    }

    @Test
    void realisticComparisonsReadAsExpected() {
        // mquant's sorted accuracies are each at least tquant's (one tie at 0.4402): stochastic dominance
        AlmostStochasticOrder.Result mt = AlmostStochasticOrder.test(StatisticsTest.MQUANT, StatisticsTest.TQUANT);
        assertEquals(0.0, mt.epsilonW2(), 0.0);
        assertTrue(mt.aAlmostLarger(), mt.toString());
        AlmostStochasticOrder.Result tm = AlmostStochasticOrder.test(StatisticsTest.TQUANT, StatisticsTest.MQUANT);
        assertEquals(1.0, tm.epsilonW2(), 0.0);
        assertFalse(tm.aAlmostLarger());
        // separated samples: every resample is separated too, so the bound is 0
        AlmostStochasticOrder.Result mn = AlmostStochasticOrder.test(StatisticsTest.MQUANT, StatisticsTest.NATIVE);
        assertEquals(0.0, mn.epsilonMin(), 0.0);
    }

    @Test
    void theTwoDirectionsAddUpToOne() {
        SplittableRandom rng = Seeds.stream(14L, "aso-test");
        for (int t = 0; t < 50; t++) {
            double[] a = new double[2 + rng.nextInt(9)];
            double[] b = new double[2 + rng.nextInt(9)];
            for (int i = 0; i < a.length; i++) {
                a[i] = Math.round(rng.nextDouble() * 100) / 100.0;
            }
            for (int i = 0; i < b.length; i++) {
                b[i] = Math.round(rng.nextDouble() * 100) / 100.0 + 0.05;
            }
            double ab = AlmostStochasticOrder.epsilonW2(a, b);
            double ba = AlmostStochasticOrder.epsilonW2(b, a);
            assertEquals(1.0, ab + ba, 1e-12, "sizes " + a.length + ", " + b.length);
            AlmostStochasticOrder.Result r = AlmostStochasticOrder.test(a, b, 200, 7L, 0.95);
            assertTrue(r.epsilonMin() >= r.epsilonW2(), "an upper confidence bound: " + r);
        }
    }

    @Test
    void aShiftIsStochasticDominance() {
        double[] a = {0.52, 0.55, 0.58, 0.61};
        double[] b = {0.50, 0.53, 0.56, 0.59};
        assertEquals(0.0, AlmostStochasticOrder.epsilonW2(a, b), 0.0);
        assertEquals(1.0, AlmostStochasticOrder.epsilonW2(b, a), 0.0);
    }

    @Test
    void degenerateCasesSayWhy() {
        AlmostStochasticOrder.Result same = AlmostStochasticOrder.test(new double[] {0.4, 0.5},
                new double[] {0.5, 0.4});
        assertTrue(Double.isNaN(same.epsilonW2()) && Double.isNaN(same.epsilonMin()));
        assertTrue(same.note().contains("same values"), same.note());
        AlmostStochasticOrder.Result one = AlmostStochasticOrder.test(new double[] {0.8}, new double[] {0.5, 0.6});
        assertEquals(0.0, one.epsilonW2(), 0.0);
        assertTrue(Double.isNaN(one.epsilonMin()), "one seed of A: no bound");
        assertTrue(one.note().startsWith("one value"), one.note());
        AlmostStochasticOrder.Result none = AlmostStochasticOrder.test(new double[0], new double[] {0.5});
        assertTrue(Double.isNaN(none.epsilonW2()));
        assertEquals("no values for A", none.note());
        assertThrows(IllegalArgumentException.class,
                () -> AlmostStochasticOrder.test(new double[] {Double.NaN, 1}, new double[] {0.5, 0.4}));
        assertThrows(IllegalArgumentException.class,
                () -> AlmostStochasticOrder.test(new double[] {0.3, 1}, new double[] {0.5, 0.4}, 1, 1L, 0.95));
    }
}
