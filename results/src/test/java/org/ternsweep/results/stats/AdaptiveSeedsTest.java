package org.ternsweep.results.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.ternsweep.core.BadInputException;
import org.ternsweep.core.Seeds;

/**
 * The adaptive seed rule driven by a synthetic executor: the accuracy of (unit, seed) is a normal draw with the
 * unit's known spread, from a random stream keyed by (seed, unit name), so a cell's value does not depend on
 * the round it ran in and a rerun reproduces it, as a real cell does.
 */
class AdaptiveSeedsTest {
    static final AdaptiveSeeds.Policy POLICY = new AdaptiveSeeds.Policy(3, 30, 2, 0.005);

    /** A synthetic group: accuracy = centre + sd · N(0, 1) + shared · N(0, 1), the last common to all units at a seed. */
    record Unit(String name, double centre, double sd, double shared) {
        double accuracy(long seed) {
            return centre + sd * Seeds.stream(seed, name).nextGaussian()
                    + shared * Seeds.stream(seed, "shared").nextGaussian();
        }
    }

    static final Unit QUIET = new Unit("quiet", 0.60, 0.001, 0.0);
    static final Unit MEDIUM = new Unit("medium", 0.43, 0.006, 0.0);
    static final Unit NOISY = new Unit("noisy", 0.12, 0.03, 0.0);

    /** Runs rounds until the plan is done; returns the final plan. */
    static AdaptiveSeeds.Plan<String> allocate(Map<String, Unit> units, Map<String, SortedMap<Long, Double>> store,
                                               List<AdaptiveSeeds.Pair<String>> pairs, int maxRounds) {
        for (int round = 0; round < maxRounds; round++) {
            AdaptiveSeeds.Plan<String> plan = AdaptiveSeeds.plan(POLICY, store, pairs);
            if (plan.done()) {
                return plan;
            }
            plan.units().forEach((name, d) -> d.nextSeeds()
                    .forEach(seed -> store.get(name).put(seed, units.get(name).accuracy(seed))));
        }
        return AdaptiveSeeds.plan(POLICY, store, pairs);
    }

    static Map<String, Unit> units(Unit... us) {
        Map<String, Unit> m = new LinkedHashMap<>();
        for (Unit u : us) {
            m.put(u.name(), u);
        }
        return m;
    }

    static Map<String, SortedMap<Long, Double>> emptyStore(Map<String, Unit> units) {
        Map<String, SortedMap<Long, Double>> store = new LinkedHashMap<>();
        units.keySet().forEach(k -> store.put(k, new TreeMap<>()));
        return store;
    }

    @Test
    void noisierGroupsGetMoreSeedsAndEveryGroupMeetsTheTargetOrReachesMax() {
        Map<String, Unit> units = units(QUIET, MEDIUM, NOISY);
        Map<String, SortedMap<Long, Double>> store = emptyStore(units);
        AdaptiveSeeds.Plan<String> end = allocate(units, store, List.of(), 100);
        assertTrue(end.done());
        int quiet = store.get("quiet").size();
        int medium = store.get("medium").size();
        int noisy = store.get("noisy").size();
        assertEquals(3, quiet, "σ = 0.001: t(0.975, 2) · 0.001/√3 = 0.0025 meets 0.005 after the initial round");
        assertTrue(medium > 3 && medium < 30, "σ = 0.006 needs about (1.96 · 0.006/0.005)² ≈ 6 seeds, got " + medium);
        assertEquals(30, noisy, "σ = 0.03 would need about 140 seeds: it stops at max");
        assertEquals(AdaptiveSeeds.Status.MET, end.units().get("quiet").status());
        assertEquals(AdaptiveSeeds.Status.MET, end.units().get("medium").status());
        assertEquals(AdaptiveSeeds.Status.AT_MAX, end.units().get("noisy").status());
        end.units().forEach((name, d) -> {
            assertTrue(d.halfWidth() <= POLICY.ci95HalfWidth() || d.seedsRun() == POLICY.max(), name + ": " + d);
            assertEquals(d.halfWidth(), AdaptiveSeeds.halfWidth(store.get(name).values().stream()
                    .mapToDouble(Double::doubleValue).toArray()), 0.0);
            assertEquals(LongStream.range(0, d.seedsRun()).boxed().toList(), List.copyOf(store.get(name).keySet()),
                    name + " ran the seeds 0, 1, 2, ... without gaps");
        });
    }

    @Test
    void theFirstRoundRunsTheInitialSeeds() {
        Map<String, Unit> units = units(QUIET, NOISY);
        AdaptiveSeeds.Plan<String> first = AdaptiveSeeds.plan(POLICY, emptyStore(units), List.of());
        first.units().values().forEach(d -> {
            assertEquals(List.of(0L, 1L, 2L), d.nextSeeds());
            assertEquals(AdaptiveSeeds.Status.RUNNING, d.status());
            assertTrue(Double.isNaN(d.halfWidth()));
        });
    }

    @Test
    void aRerunResumesExactlyAfterARoundWasCutShort() {
        Map<String, Unit> units = units(QUIET, MEDIUM, NOISY);
        Map<String, SortedMap<Long, Double>> uninterrupted = emptyStore(units);
        allocate(units, uninterrupted, List.of(), 100);
        // two rounds, then a crash in the middle of the third: noisy finished seed 5 but not seed 6
        Map<String, SortedMap<Long, Double>> crashed = emptyStore(units);
        allocate(units, crashed, List.of(), 3);
        crashed.get("noisy").remove(crashed.get("noisy").lastKey());
        allocate(units, crashed, List.of(), 100);
        assertEquals(uninterrupted, crashed);
    }

    @Test
    void newSeedsFillGapsFirst() {
        SortedMap<Long, Double> gappy = new TreeMap<>(Map.of(0L, 0.40, 1L, 0.45, 2L, 0.50, 4L, 0.42));
        AdaptiveSeeds.Plan<String> plan = AdaptiveSeeds.plan(POLICY, Map.of("u", gappy), List.of());
        assertEquals(List.of(3L, 5L), plan.units().get("u").nextSeeds());
    }

    @Test
    void failedCellsCountAsRunButNotInThePrecision() {
        SortedMap<Long, Double> someFailed = new TreeMap<>(Map.of(0L, 0.40, 1L, Double.NaN, 2L, 0.401));
        AdaptiveSeeds.UnitDecision d = AdaptiveSeeds.plan(POLICY, Map.of("u", someFailed), List.of()).units().get("u");
        assertEquals(3, d.seedsRun());
        assertEquals(2, d.nOk());
        assertEquals(AdaptiveSeeds.halfWidth(new double[] {0.40, 0.401}), d.halfWidth(), 0.0);
        SortedMap<Long, Double> allFailed = new TreeMap<>();
        LongStream.range(0, 30).forEach(s -> allFailed.put(s, Double.NaN));
        AdaptiveSeeds.UnitDecision dead = AdaptiveSeeds.plan(POLICY, Map.of("u", allFailed), List.of())
                .units().get("u");
        assertEquals(AdaptiveSeeds.Status.AT_MAX, dead.status(), "no OK seed and max reached: stop");
        assertTrue(dead.nextSeeds().isEmpty());
    }

    @Test
    void anImprecisePairedDifferenceGetsBothOperatorsMoreSeeds() {
        // each operator alone needs about 6 seeds; their difference (independent noise, sd 0.0057) about 8–10
        Unit a = new Unit("mquant", 0.43, 0.004, 0.0);
        Unit b = new Unit("tquant", 0.41, 0.004, 0.0);
        Map<String, Unit> units = units(a, b);
        Map<String, SortedMap<Long, Double>> alone = emptyStore(units);
        allocate(units, alone, List.of(), 100);
        Map<String, SortedMap<Long, Double>> paired = emptyStore(units);
        List<AdaptiveSeeds.Pair<String>> pairs = List.of(new AdaptiveSeeds.Pair<>("mquant", "tquant"));
        AdaptiveSeeds.Plan<String> end = allocate(units, paired, pairs, 100);
        AdaptiveSeeds.PairDecision<String> pd = end.pairs().get(0);
        assertEquals(AdaptiveSeeds.Status.MET, pd.status(), pd.toString());
        assertTrue(pd.halfWidth() <= POLICY.ci95HalfWidth(), pd.toString());
        assertEquals(paired.get("mquant").size(), pd.nPairs());
        assertTrue(paired.get("mquant").size() > alone.get("mquant").size()
                        || paired.get("tquant").size() > alone.get("tquant").size(),
                "the pair asked for more seeds than the units alone: " + alone + " vs " + paired);
    }

    @Test
    void aPreciseDifferenceOfNoisyOperatorsNeedsNoExtraSeeds() {
        // common random numbers: the shared seed effect (0.02) cancels in the difference (own noise 0.001)
        Unit a = new Unit("a", 0.43, 0.001, 0.02);
        Unit b = new Unit("b", 0.41, 0.001, 0.02);
        Map<String, Unit> units = units(a, b);
        Map<String, SortedMap<Long, Double>> store = emptyStore(units);
        AdaptiveSeeds.Plan<String> end = allocate(units, store,
                List.of(new AdaptiveSeeds.Pair<>("a", "b")), 100);
        assertEquals(AdaptiveSeeds.Status.MET, end.pairs().get(0).status());
        assertTrue(end.pairs().get(0).halfWidth() < POLICY.ci95HalfWidth());
        assertTrue(end.units().get("a").halfWidth() > end.pairs().get(0).halfWidth(),
                "the means vary with the seed, the difference hardly: " + end);
    }

    @Test
    void thePlanLooksAtWidthsOnlyNotAtWhoIsAhead() {
        SortedMap<Long, Double> up = new TreeMap<>(Map.of(0L, 0.40, 1L, 0.42, 2L, 0.41));
        SortedMap<Long, Double> down = new TreeMap<>(Map.of(0L, 0.60, 1L, 0.58, 2L, 0.59));
        AdaptiveSeeds.Plan<String> plan = AdaptiveSeeds.plan(POLICY, Map.of("up", up, "down", down), List.of());
        assertEquals(plan.units().get("up").halfWidth(), plan.units().get("down").halfWidth(), 1e-15);
        assertEquals(plan.units().get("up").nextSeeds(), plan.units().get("down").nextSeeds(),
                "mirror-image accuracies, the same precision: the same seeds, whichever is better");
    }

    @Test
    void policyAndPairsAreCheckedWithTheKeyToFix() {
        BadInputException initial = assertThrows(BadInputException.class,
                () -> new AdaptiveSeeds.Policy(1, 30, 2, 0.005));
        assertTrue(initial.getMessage().startsWith("seeds.adaptive.initial"), initial.getMessage());
        BadInputException max = assertThrows(BadInputException.class,
                () -> new AdaptiveSeeds.Policy(5, 4, 2, 0.005));
        assertTrue(max.getMessage().startsWith("seeds.adaptive.max"), max.getMessage());
        assertThrows(BadInputException.class, () -> new AdaptiveSeeds.Policy(3, 30, 0, 0.005));
        BadInputException width = assertThrows(BadInputException.class,
                () -> new AdaptiveSeeds.Policy(3, 30, 2, 0.0));
        assertTrue(width.getMessage().startsWith("seeds.adaptive.ci95_half_width"), width.getMessage());
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> AdaptiveSeeds.plan(POLICY, Map.of("a", new TreeMap<>()),
                        List.of(new AdaptiveSeeds.Pair<>("a", "b"))));
        assertTrue(unknown.getMessage().contains("pair names unit b"), unknown.getMessage());
    }
}
