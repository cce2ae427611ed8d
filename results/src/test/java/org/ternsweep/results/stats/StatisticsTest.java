package org.ternsweep.results.stats;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.ternsweep.core.BadInputException;
import org.ternsweep.core.Seeds;
import org.ternsweep.results.model.CellRow;
import org.ternsweep.results.model.ComparisonRow;
import org.ternsweep.results.model.LayerRow;
import org.ternsweep.results.model.SummaryRow;

/**
 * Expected numbers come from driver/src/test/resources/org/ternsweep/driver/stats/reference_values.py
 * (scipy 1.10 for t-test, CI and non-central t; brute-force enumeration for exact Wilcoxon), run on the
 * same accuracies as {@link #NATIVE}, {@link #MQUANT}, {@link #TQUANT}. commons-math3's t quantiles agree with
 * scipy's to about 4e-10 relative (t(0.975, 5): 2.570581835636 vs 2.5705818366147), so interval ends are
 * checked to 1e-10.
 */
class StatisticsTest {
    static final double[] NATIVE = {0.1183, 0.1520, 0.0985, 0.1342, 0.1710, 0.1067};
    static final double[] MQUANT = {0.4290, 0.4351, 0.4227, 0.4315, 0.4402, 0.4260};
    static final double[] TQUANT = {0.4050, 0.4101, 0.4238, 0.4012, 0.4402, 0.4180};

    static CellRow cell(String method, String operator, long seed, double accuracy) {
        return cell("cnn-small", method, operator, seed, accuracy, CellRow.Status.OK);
    }

    static CellRow cell(String model, String method, String operator, long seed, double accuracy, CellRow.Status status) {
        boolean ok = status == CellRow.Status.OK;
        return new CellRow(model + method + operator + seed, status, model, "fashion-mnist", 0, seed, operator, "{}",
                "per-channel", method, "{}", "keep", ok ? accuracy : Double.NaN, 1.5, 0.91, 2.0 + seed * 0.1,
                0.5, List.of(new LayerRow("conv1", "ternary", 0.1, 0.05, 0.3, 0.4, 0.3, 0.2, 7.0)),
                ok ? "" : "java.lang.IllegalStateException", ok ? "" : "diverged");
    }

    static List<CellRow> threeOperators() {
        List<CellRow> cells = new ArrayList<>();
        for (int s = 0; s < 6; s++) {
            cells.add(cell("adaround", "native", s, NATIVE[s]));
            cells.add(cell("adaround", "mquant", s, MQUANT[s]));
            cells.add(cell("adaround", "tquant", s, TQUANT[s]));
        }
        return cells;
    }

    static ComparisonRow find(List<ComparisonRow> rows, String op, String base) {
        return rows.stream().filter(r -> r.operator().operator().equals(op) && r.baseline().operator().equals(base))
                .findFirst().orElseThrow(() -> new AssertionError("no comparison " + op + " vs " + base + " in " + rows));
    }

    @Test
    void summaryMatchesScipy() {
        SummaryRow m = Statistics.summarize(threeOperators()).stream()
                .filter(r -> r.operator().operator().equals("mquant")).findFirst().orElseThrow();
        assertAll(
                () -> assertEquals(6, m.n()),
                () -> assertEquals(0, m.nFailed()),
                () -> assertEquals(0.43075, m.accuracyMean(), 1e-12),
                () -> assertEquals(0.006312131177344135, m.accuracyStd(), 1e-12),
                () -> assertEquals(0.006624175423724855, m.accuracyCi95(), 1e-10),
                () -> assertEquals(0.43025, m.accuracyMedian(), 1e-12),
                () -> assertEquals(0.4227, m.accuracyMin(), 0.0),
                () -> assertEquals(0.4402, m.accuracyMax(), 0.0),
                () -> assertEquals(0.91, m.floatAccuracyMean(), 1e-12),
                () -> assertEquals(2.25, m.quantizeSecondsMean(), 1e-12));
    }

    @Test
    void comparisonAgainstReferenceMatchesScipyAndEnumeration() {
        ComparisonRow r = find(Statistics.compare(threeOperators(), "native"), "mquant", "native");
        assertAll(
                () -> assertEquals(ComparisonRow.Kind.VS_REFERENCE, r.kind()),
                () -> assertEquals(6, r.nPairs()),
                () -> assertEquals(0, r.nUnpaired()),
                () -> assertEquals(0.300633333333, r.meanDiff(), 1e-11),
                () -> assertEquals(0.0215023409578, r.diffStd(), 1e-12),
                () -> assertEquals(0.278068010382, r.ciLow(), 1e-10),
                () -> assertEquals(0.323198656284, r.ciHigh(), 1e-10),
                () -> assertEquals(3.99217595137e-07, r.tPValue(), 1e-15),
                () -> assertEquals(0.03125, r.wilcoxonPValue(), 1e-15),
                () -> assertTrue(r.wilcoxonExact()),
                () -> assertEquals(0.0215023409578 / Math.sqrt(6), r.standardError(), 1e-12),
                () -> assertEquals(2, r.seedsNeeded()),
                () -> assertFalse(r.belowSeedNoise()));
    }

    @Test
    void operatorAgainstOperatorMatchesScipy() {
        List<ComparisonRow> rows = Statistics.compare(threeOperators(), "native");
        ComparisonRow r = find(rows, "mquant", "tquant");
        assertAll(
                () -> assertEquals(ComparisonRow.Kind.BETWEEN_OPERATORS, r.kind()),
                () -> assertEquals(0.0143666666667, r.meanDiff(), 1e-12),
                () -> assertEquals(-6.75057771991e-05, r.ciLow(), 1e-10),
                () -> assertEquals(0.0507353064908, r.tPValue(), 1e-11),
                // one difference is exactly zero (0.4402 - 0.4402) and is dropped: n = 5, all-but-one positive
                () -> assertEquals(0.125, r.wilcoxonPValue(), 1e-15),
                () -> assertEquals(10, r.seedsNeeded()),
                // alone in its family, Holm leaves it unchanged
                () -> assertEquals(r.tPValue(), r.tPValueHolm(), 0.0));
        assertEquals(3, rows.size(), "2 against native + mquant vs tquant");
    }

    @Test
    void holmRunsAcrossTheReferenceFamily() {
        List<ComparisonRow> vsRef = Statistics.compare(threeOperators(), "native").stream()
                .filter(r -> r.kind() == ComparisonRow.Kind.VS_REFERENCE).toList();
        double[] raw = vsRef.stream().mapToDouble(ComparisonRow::tPValue).toArray();
        double[] holm = vsRef.stream().mapToDouble(ComparisonRow::tPValueHolm).toArray();
        assertArrayEquals(Holm.adjust(raw), holm, 0.0);
        assertTrue(Arrays.stream(holm).allMatch(p -> p > 0.0), Arrays.toString(holm));
        double[] wRaw = vsRef.stream().mapToDouble(ComparisonRow::wilcoxonPValue).toArray();
        // both exact p-values are 2/64: Holm multiplies the smaller by m = 2, the larger by 1, then takes the max
        assertArrayEquals(new double[] {0.0625, 0.0625}, vsRef.stream()
                .mapToDouble(ComparisonRow::wilcoxonPValueHolm).toArray(), 1e-15, Arrays.toString(wRaw));
    }

    @Test
    void unpairedAndFailedCellsAreLeftOutAndCounted() {
        List<CellRow> cells = new ArrayList<>(threeOperators());
        cells.add(cell("adaround", "mquant", 7, 0.45));           // no native at seed 7
        cells.add(cell("cnn-small", "adaround", "native", 8, 0, CellRow.Status.FAILED));
        cells.add(cell("adaround", "mquant", 8, 0.44));           // native FAILED at seed 8
        cells.add(cell("adaround", "native", 9, 0.12));           // no mquant at seed 9
        ComparisonRow r = find(Statistics.compare(cells, "native"), "mquant", "native");
        assertEquals(6, r.nPairs());
        assertEquals(3, r.nUnpaired());
        assertEquals(0.300633333333, r.meanDiff(), 1e-11, "the paired result does not move");
        SummaryRow nat = Statistics.summarize(cells).stream()
                .filter(s -> s.operator().operator().equals("native")).findFirst().orElseThrow();
        assertEquals(7, nat.n());
        assertEquals(1, nat.nFailed());
    }

    @Test
    void onePairGivesNaNWithAReason() {
        List<CellRow> cells = List.of(cell("ptq", "native", 0, 0.11), cell("ptq", "mquant", 0, 0.43));
        ComparisonRow r = find(Statistics.compare(cells, "native"), "mquant", "native");
        assertEquals(1, r.nPairs());
        assertEquals(0.32, r.meanDiff(), 1e-12);
        assertTrue(Double.isNaN(r.tPValue()) && Double.isNaN(r.ciLow()) && Double.isNaN(r.tPValueHolm()));
        assertEquals(1.0, r.wilcoxonPValue(), 0.0);
        assertNull(r.seedsNeeded());
        assertTrue(r.note().startsWith("one pair"), r.note());
        SummaryRow s = Statistics.summarize(cells).get(0);
        assertTrue(Double.isNaN(s.accuracyStd()) && Double.isNaN(s.accuracyCi95()), "std needs two seeds");
    }

    @Test
    void zeroVarianceDifferencesDoNotCrash() {
        List<CellRow> equal = new ArrayList<>();
        List<CellRow> shifted = new ArrayList<>();
        for (int s = 0; s < 4; s++) {
            equal.add(cell("ptq", "native", s, 0.2 + s * 0.01));
            equal.add(cell("ptq", "mquant", s, 0.2 + s * 0.01));
            shifted.add(cell("ptq", "native", s, 0.2 + s * 0.01));
            shifted.add(cell("ptq", "mquant", s, 0.25 + s * 0.01));
        }
        ComparisonRow same = find(Statistics.compare(equal, "native"), "mquant", "native");
        assertEquals(1.0, same.tPValue(), 0.0);
        assertTrue(Double.isNaN(same.wilcoxonPValue()));
        assertTrue(same.note().contains("all differences are zero"), same.note());
        ComparisonRow constant = find(Statistics.compare(shifted, "native"), "mquant", "native");
        assertTrue(Double.isNaN(constant.tPValue()));
        assertEquals(0.125, constant.wilcoxonPValue(), 1e-15, "4 positive differences: 2/16");
        assertTrue(constant.note().contains("zero variance"), constant.note());
    }

    @Test
    void smallDifferenceIsFlaggedAsBelowSeedNoise() {
        List<CellRow> cells = new ArrayList<>();
        double[] base = {0.40, 0.42, 0.39, 0.41, 0.43};
        double[] noisy = {0.41, 0.40, 0.41, 0.40, 0.44};
        for (int s = 0; s < 5; s++) {
            cells.add(cell("ptq", "mquant", s, base[s]));
            cells.add(cell("ptq", "tquant", s, noisy[s]));
        }
        ComparisonRow r = find(Statistics.compare(cells, "native"), "mquant", "tquant");
        assertTrue(r.belowSeedNoise(), "mean " + r.meanDiff() + " vs seed noise " + r.diffStd());
        assertTrue(r.seedsNeeded() > 5, "more seeds than measured: " + r.seedsNeeded());
        assertTrue(Statistics.compare(cells, "native").stream().noneMatch(c -> c.kind() == ComparisonRow.Kind.VS_REFERENCE),
                "no native cells: no comparisons against it");
    }

    @Test
    void randomSweepSummaryMatchesADirectRecomputation() {
        SplittableRandom rng = Seeds.stream(20240607L, "statistics-test");
        String[] ops = {"native", "mquant", "tquant"};
        double[] centre = {0.15, 0.60, 0.57};
        List<CellRow> cells = new ArrayList<>();
        for (String model : List.of("cnn-small", "resnet-8")) {
            for (String method : List.of("data-free", "adaround")) {
                for (int o = 0; o < ops.length; o++) {
                    for (long seed = 0; seed < 5; seed++) {
                        double acc = Math.min(1, Math.max(0, centre[o] + 0.03 * rng.nextGaussian()));
                        cells.add(cell(model, method, ops[o], seed, acc, CellRow.Status.OK));
                    }
                }
            }
        }
        List<SummaryRow> summary = Statistics.summarize(cells);
        assertEquals(12, summary.size());
        for (SummaryRow s : summary) {
            double[] acc = cells.stream().filter(c -> c.groupKey().equals(s.group()) && c.operatorKey().equals(s.operator()))
                    .mapToDouble(CellRow::accuracy).toArray();
            double mean = Arrays.stream(acc).average().orElseThrow();
            double var = Arrays.stream(acc).map(a -> (a - mean) * (a - mean)).sum() / (acc.length - 1);
            assertEquals(mean, s.accuracyMean(), 1e-12);
            assertEquals(Math.sqrt(var), s.accuracyStd(), 1e-12);
            // t(0.975, 4) = 2.7764451051977987 (scipy.stats.t.ppf)
            assertEquals(2.7764451051977987 * Math.sqrt(var / 5), s.accuracyCi95(), 1e-10);
        }
        List<ComparisonRow> rows = Statistics.compare(cells, "native");
        assertEquals(8, rows.stream().filter(r -> r.kind() == ComparisonRow.Kind.VS_REFERENCE).count());
        assertEquals(4, rows.stream().filter(r -> r.kind() == ComparisonRow.Kind.BETWEEN_OPERATORS).count());
        rows.forEach(r -> assertTrue(r.tPValueHolm() >= r.tPValue(), r.toString()));
    }

    static CellRow cell(long modelSeed, String operator, long seed, double accuracy) {
        CellRow c = cell("adaround", operator, seed, accuracy);
        return new CellRow(c.cellId() + "m" + modelSeed, c.status(), c.model(), c.dataset(), modelSeed, seed,
                operator, "{}", c.granularity(), c.method(), "{}", c.firstLast(), accuracy, 1.5, 0.91, 2.0, 0.5,
                List.of(), "", "");
    }

    /**
     * A group pools its model seeds: one summary row per operator over every (model seed, seed), whose variance
     * components and stratified bootstrap are those of the classes' own methods on the same values, and
     * comparisons pair on (model seed, seed), never on the seed alone.
     */
    @Test
    void groupsPoolModelSeedsAndComparisonsPairOnModelSeedAndSeed() {
        double[][] mquant = {{0.4290, 0.4351, 0.4227, 0.4315}, {0.4402, 0.4460, 0.4388, 0.4421},
                {0.4188, 0.4262, 0.4150, 0.4233}};
        double[][] nat = {{0.1183, 0.1520, 0.0985, 0.1342}, {0.2010, 0.1874, 0.1952, 0.2101},
                {0.1067, 0.1710, 0.1405, 0.1290}};
        List<CellRow> cells = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        List<Long> strata = new ArrayList<>();
        List<Double> diffs = new ArrayList<>();
        for (int m = 0; m < 3; m++) {
            for (int s = 0; s < 4; s++) {
                cells.add(cell(m, "mquant", s, mquant[m][s]));
                cells.add(cell(m, "native", s, nat[m][s]));
                values.add(mquant[m][s]);
                strata.add((long) m);
                diffs.add(mquant[m][s] - nat[m][s]);
            }
        }
        List<SummaryRow> summary = Statistics.summarize(cells);
        assertEquals(2, summary.size(), "one row per operator: the model seeds are pooled");
        SummaryRow mq = summary.stream().filter(r -> r.operator().operator().equals("mquant")).findFirst().orElseThrow();
        assertEquals(12, mq.n());
        assertEquals(3, mq.spread().nModelSeeds());
        double[] v = values.stream().mapToDouble(Double::doubleValue).toArray();
        long[] st = strata.stream().mapToLong(Long::longValue).toArray();
        VarianceComponents.Result vc = VarianceComponents.oneWay(v, st);
        assertEquals(vc.between(), mq.spread().varBetween(), 0.0);
        assertEquals(vc.within(), mq.spread().varWithin(), 0.0);
        assertEquals(vc.betweenFraction(), mq.spread().varBetweenFraction(), 0.0);
        assertTrue(mq.spread().varBetween() > mq.spread().varWithin(), "model seed 1 sits about a point higher");
        Bootstrap.Interval bca = Bootstrap.mean(v, st);
        assertEquals(bca.low(), mq.spread().bcaLow(), 0.0);
        assertEquals(bca.high(), mq.spread().bcaHigh(), 0.0);
        assertEquals("0-3", mq.spread().seedsRun());
        assertNull(mq.spread().seedsStatus(), "not an adaptive sweep");
        SummaryRow na = summary.stream().filter(r -> r.operator().operator().equals("native")).findFirst().orElseThrow();
        assertEquals(3, na.spread().nCollapsed(), "0.1183, 0.0985 and 0.1067 are within 2 points of 1/10, 0.1290 not");

        ComparisonRow c = find(Statistics.compare(cells, "native"), "mquant", "native");
        double[] d = diffs.stream().mapToDouble(Double::doubleValue).toArray();
        assertEquals(12, c.nPairs());
        assertEquals(0, c.nUnpaired());
        assertEquals(java.util.Arrays.stream(d).average().orElseThrow(), c.meanDiff(), 1e-15);
        assertEquals(EffectSizes.cohensDz(d), c.effect().cohensDz(), 1e-15);
        assertEquals(1.0, c.effect().pImprovement());
        Bootstrap.Interval dBca = Bootstrap.mean(d, st);
        assertEquals(dBca.low(), c.effect().bcaLow(), 0.0);
        assertEquals(dBca.high(), c.effect().bcaHigh(), 0.0);
        double[] nv = java.util.Arrays.stream(nat).flatMapToDouble(java.util.Arrays::stream).toArray();
        AlmostStochasticOrder.Result aso = AlmostStochasticOrder.test(v, nv);
        assertEquals(aso.epsilonW2(), c.effect().asoEpsilon(), 0.0);
        assertEquals(aso.epsilonMin(), c.effect().asoEpsilonMin(), 0.0);
        assertEquals(0.0, c.effect().asoEpsilon(), "mquant is above native at every quantile");
    }

    @Test
    void adaptiveStatusFollowsThePlanOfTheStoredCells() {
        List<CellRow> cells = new ArrayList<>();
        for (int s = 0; s < 4; s++) {
            cells.add(cell(0, "mquant", s, MQUANT[s]));
            cells.add(cell(0, "native", s, NATIVE[s]));
        }
        List<SummaryRow> summary = Statistics.summarize(cells);
        List<ComparisonRow> comparisons = Statistics.compare(cells, "native");
        Statistics.Adaptive a = Statistics.adaptive(new AdaptiveSeeds.Policy(2, 4, 2, 0.01), cells, "native",
                summary, comparisons);
        SummaryRow mq = a.summary().stream().filter(r -> r.operator().operator().equals("mquant")).findFirst()
                .orElseThrow();
        SummaryRow na = a.summary().stream().filter(r -> r.operator().operator().equals("native")).findFirst()
                .orElseThrow();
        assertEquals("met", mq.spread().seedsStatus(), "mquant's four seeds agree to ±0.9 points");
        assertEquals("at_max", na.spread().seedsStatus(), "native's spread needs more than the four seeds allowed");
        assertEquals(Boolean.FALSE, find(a.comparisons(), "mquant", "native").effect().halfWidthMet());
    }

    @Test
    void duplicateCellsAreRejectedWithBothIds() {
        List<CellRow> cells = new ArrayList<>(threeOperators());
        CellRow twin = cell("adaround", "mquant", 0, 0.5);
        cells.add(new CellRow("other-id", twin.status(), twin.model(), twin.dataset(), 0, 0, "mquant", "{}",
                twin.granularity(), twin.method(), "{}", twin.firstLast(), 0.5, 1.0, 0.9, 1.0, 1.0, List.of(), "", ""));
        BadInputException e = assertThrows(BadInputException.class,
                () -> Statistics.compare(cells, "native"));
        assertTrue(e.getMessage().contains("other-id") && e.getMessage().contains("seed 0"), e.getMessage());
    }

    @Test
    void ambiguousReferenceAsksForItsOptions() {
        List<CellRow> cells = new ArrayList<>(threeOperators());
        CellRow c = cell("adaround", "native", 0, 0.1);
        cells.add(new CellRow("x", c.status(), c.model(), c.dataset(), 0, 0, "native", "{\"bits\":3}",
                c.granularity(), c.method(), "{}", c.firstLast(), 0.1, 1.0, 0.9, 1.0, 1.0, List.of(), "", ""));
        BadInputException e = assertThrows(BadInputException.class, () -> Statistics.compare(cells, "native"));
        assertTrue(e.getMessage().contains("native {\"bits\":3}") && e.getMessage().contains("native {}"),
                e.getMessage());
        // "native {}" (name, space, no options) picks the setting without options: the other is compared against it
        assertEquals(3, Statistics.compare(cells, "native {}").stream()
                .filter(r -> r.kind() == ComparisonRow.Kind.VS_REFERENCE).count());
    }
}
