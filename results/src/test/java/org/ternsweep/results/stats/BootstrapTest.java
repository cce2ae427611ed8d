package org.ternsweep.results.stats;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * BCa intervals against precision_reference.py, which draws the same resamples (its own SplittableRandom) and
 * computes each interval twice, with scipy.stats.bootstrap(method='BCa') and a numpy transcription of Efron
 * (1987). The tolerance is 1e-12: the resampled means are the same doubles (same summation order), the tie
 * rule is the same, and what differs (commons-math3 vs scipy normal quantiles, the jackknife by deletion vs in
 * closed form) moves an interval end by far less. Several cases have resampled means that equal the estimate
 * mathematically but differ from it by an ulp (89 of the 135 ties of "mquant" lie below it); without the
 * tie tolerance z0, and so the interval, would not match.
 */
class BootstrapTest {
    static final double[] MQUANT = StatisticsTest.MQUANT;

    static Stream<Arguments> bcaCases() {
        return PrecisionReference.cases("bca").stream().map(c -> Arguments.of(c.get("name").asText(), c));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bcaCases")
    void intervalMatchesScipyOnTheSameResamples(String name, JsonNode c) {
        Bootstrap.Interval i = Bootstrap.mean(PrecisionReference.nested(c.get("strata")), c.get("resamples").asInt(),
                c.get("seed").asLong(), c.get("confidence").asDouble());
        assertAll(name,
                () -> assertEquals(c.get("estimate").asDouble(), i.estimate(), 1e-15),
                () -> assertEquals(c.get("z0").asDouble(), i.z0(), 1e-12),
                () -> assertEquals(c.get("acceleration").asDouble(), i.acceleration(), 1e-12),
                () -> assertEquals(c.get("low").asDouble(), i.low(), 1e-12),
                () -> assertEquals(c.get("high").asDouble(), i.high(), 1e-12),
                () -> assertEquals("", i.note()));
    }

    @Test
    void resampleIndicesAreThoseTheScriptDraws() {
        JsonNode r = PrecisionReference.section("resample_indices");
        int[] sizes = PrecisionReference.ints(r.get("sizes"));
        int[][] java = Bootstrap.resampleIndices(sizes, r.get("resamples").asInt(), r.get("seed").asLong());
        for (int b = 0; b < java.length; b++) {
            assertArrayEquals(PrecisionReference.ints(r.get("indices").get(b)), java[b], "resample " + b);
        }
    }

    @Test
    void publicEntryPointsUseTheFixedResamplesAndSeed() {
        JsonNode c = PrecisionReference.cases("bca").get(0);
        Bootstrap.Interval i = Bootstrap.mean(MQUANT);
        assertEquals(c.get("low").asDouble(), i.low(), 1e-12);
        assertEquals(c.get("high").asDouble(), i.high(), 1e-12);
        assertEquals(Bootstrap.RESAMPLES, i.resamples());
        assertEquals(Bootstrap.SEED, i.seed());
        assertEquals(i, Bootstrap.mean(MQUANT), "the same values give the same interval");
    }

    @Test
    void strataAreResampledInAscendingLabelOrder() {
        JsonNode c = PrecisionReference.cases("bca").stream()
                .filter(n -> n.get("name").asText().startsWith("three model seeds")).findFirst().orElseThrow();
        double[][] strata = PrecisionReference.nested(c.get("strata"));
        // the values of model seed 3 first, then 1, then 2: grouping must restore the order 1, 2, 3
        double[] values = new double[12];
        long[] labels = new long[12];
        long[] seedOfStratum = {1, 2, 3};
        int k = 0;
        for (int h : new int[] {2, 0, 1}) {
            for (double v : strata[h]) {
                values[k] = v;
                labels[k++] = seedOfStratum[h];
            }
        }
        Bootstrap.Interval i = Bootstrap.mean(values, labels);
        assertEquals(c.get("low").asDouble(), i.low(), 1e-12);
        assertEquals(c.get("high").asDouble(), i.high(), 1e-12);
    }

    @Test
    void stratifyingByModelSeedRemovesTheBetweenStrataSpreadFromTheInterval() {
        JsonNode c = PrecisionReference.cases("bca").stream()
                .filter(n -> n.get("name").asText().startsWith("three model seeds")).findFirst().orElseThrow();
        double[][] strata = PrecisionReference.nested(c.get("strata"));
        double[] pooled = Stream.of(strata).flatMapToDouble(Arrays::stream).toArray();
        Bootstrap.Interval stratified = Bootstrap.mean(strata, Bootstrap.RESAMPLES, Bootstrap.SEED, 0.95);
        Bootstrap.Interval plain = Bootstrap.mean(pooled);
        assertEquals(plain.estimate(), stratified.estimate(), 1e-15);
        assertTrue(stratified.high() - stratified.low() < 0.5 * (plain.high() - plain.low()),
                "model-seed means differ by about 0.015: stratified " + stratified + " vs plain " + plain);
    }

    @Test
    void meanDifferenceBootstrapsThePairedDifferences() {
        double[] b = StatisticsTest.NATIVE;
        long[] one = new long[MQUANT.length];
        Bootstrap.Interval diff = Bootstrap.meanDifference(MQUANT, b, one);
        JsonNode c = PrecisionReference.cases("bca").get(1);
        assertEquals(c.get("low").asDouble(), diff.low(), 1e-12);
        assertEquals(c.get("high").asDouble(), diff.high(), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> Bootstrap.meanDifference(MQUANT, new double[2], one));
    }

    @Test
    void intervalCoversTheEstimateAndLiesWithinTheData() {
        Bootstrap.Interval i = Bootstrap.mean(MQUANT);
        assertTrue(i.low() < i.estimate() && i.estimate() < i.high(), i.toString());
        assertTrue(i.low() >= 0.4227 && i.high() <= 0.4402, "a mean's bootstrap stays in the data's range: " + i);
    }

    @Test
    void noValuesOrOneValueGiveNoInterval() {
        Bootstrap.Interval none = Bootstrap.mean(new double[0]);
        assertTrue(Double.isNaN(none.estimate()) && !none.defined());
        assertEquals("no values", none.note());
        Bootstrap.Interval one = Bootstrap.mean(new double[] {0.43});
        assertEquals(0.43, one.estimate(), 0.0);
        assertFalse(one.defined());
        assertTrue(one.note().startsWith("one value"), one.note());
    }

    @Test
    void singleValuedStrataGiveNoInterval() {
        Bootstrap.Interval i = Bootstrap.mean(new double[] {0.41, 0.43, 0.42}, new long[] {0, 1, 2});
        assertEquals(0.42, i.estimate(), 1e-15);
        assertFalse(i.defined(), "one seed per model seed: nothing varies within a stratum");
        assertTrue(i.note().startsWith("every stratum holds one value"), i.note());
    }

    @Test
    void constantStrataGiveThePoint() {
        Bootstrap.Interval same = Bootstrap.mean(new double[] {0.43, 0.43, 0.43});
        assertEquals(List.of(0.43, 0.43), List.of(same.low(), same.high()));
        assertTrue(same.note().startsWith("all values equal"), same.note());
        // constant within each model seed, different between: every stratified resample has the same mean
        Bootstrap.Interval strata = Bootstrap.mean(new double[] {0.41, 0.41, 0.45, 0.45}, new long[] {0, 0, 1, 1});
        assertEquals(0.43, strata.low(), 1e-15);
        assertEquals(0.43, strata.high(), 1e-15);
    }

    @Test
    void badArgumentsAreRefusedWithTheReason() {
        IllegalArgumentException nan = assertThrows(IllegalArgumentException.class,
                () -> Bootstrap.mean(new double[] {0.4, Double.NaN}));
        assertTrue(nan.getMessage().contains("FAILED"), nan.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Bootstrap.mean(new double[] {0.4}, new long[] {0, 1}));
        assertThrows(IllegalArgumentException.class, () -> Bootstrap.mean(new double[][] {MQUANT}, 1, 1L, 0.95));
        assertThrows(IllegalArgumentException.class, () -> Bootstrap.mean(new double[][] {MQUANT}, 100, 1L, 1.0));
    }

    @Test
    void quantileInterpolatesLinearlyBetweenOrderStatistics() {
        double[] sorted = {1.0, 2.0, 4.0, 8.0};
        assertEquals(1.0, Bootstrap.quantile(sorted, 0.0), 0.0);
        assertEquals(8.0, Bootstrap.quantile(sorted, 1.0), 0.0);
        // position 0.5 · 3 = 1.5: halfway between 2 and 4
        assertEquals(3.0, Bootstrap.quantile(sorted, 0.5), 0.0);
        // position 0.9 · 3 = 2.7: 4 + 0.7 · (8 − 4)
        assertEquals(6.8, Bootstrap.quantile(sorted, 0.9), 1e-15);
    }
}
