package org.ternsweep.results.stats;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.commons.math3.stat.descriptive.DescriptiveStatistics;
import org.ternsweep.core.BadInputException;

/**
 * Plans the rounds of an adaptive seed allocation ({@code seeds: {adaptive: {initial, max, step,
 * ci95_half_width}}}): which groups get more seeds so that every mean, and every paired difference that is
 * reported, is known to a stated precision.
 *
 * <p>A unit is one group (every axis but the seed, operator included), keyed by whatever the caller uses. After
 * each round the caller passes, per unit, the accuracy of every seed run so far (NaN for a FAILED cell), and
 * the pairs whose difference must also be precise (each operator against the reference when comparisons are
 * on). The plan gives each unit the seeds of its next round:
 * <ul>
 *   <li>a unit with fewer than {@code initial} seeds runs up to {@code initial};</li>
 *   <li>otherwise a unit whose 95 % Student-t half-width of the mean ({@link Statistics}'s, over its OK
 *       seeds) is above the target, or undefined (fewer than two OK seeds), runs {@code step} more, never beyond
 *       {@code max} seeds;</li>
 *   <li>a pair whose half-width of the mean paired difference (over the seeds where both are OK) is above the
 *       target raises both units to at least min(seeds of a, seeds of b) + {@code step}, capped at {@code max}:
 *       the pairs are limited by the unit with fewer seeds, so only that one needs more.</li>
 * </ul>
 * New seeds are the smallest non-negative integers a unit has not run, so the seeds of a unit are 0, 1, 2, …
 * and a rerun on the same stored cells plans the same seeds: it resumes exactly, also after a round that was
 * cut short. The allocation ends when no unit gets a seed: every unit and pair met the target or reached
 * {@code max}.
 *
 * <p>The rule stops on precision, never on significance: it looks at interval widths only, never at a
 * p-value or at which operator is ahead, so repeated looks at the data do not inflate any error rate and no
 * result is favoured by where the sampling stopped.
 */
public final class AdaptiveSeeds {
    private AdaptiveSeeds() {
    }

    /**
     * The adaptive rule of a sweep.
     *
     * @param initial       seeds every unit runs first, at least 2 (a half-width needs two values)
     * @param max           most seeds a unit runs, at least {@code initial}
     * @param step          seeds added to a unit per round while it is above the target, at least 1
     * @param ci95HalfWidth target half-width of the 95 % interval, as an accuracy fraction (0.005 = ±0.5 points)
     */
    public record Policy(int initial, int max, int step, double ci95HalfWidth) {
        public Policy {
            if (initial < 2) {
                throw new BadInputException("seeds.adaptive.initial must be at least 2 (a confidence interval"
                        + " needs two seeds), got " + initial);
            }
            if (max < initial) {
                throw new BadInputException("seeds.adaptive.max (" + max + ") must be at least"
                        + " seeds.adaptive.initial (" + initial + ")");
            }
            if (step < 1) {
                throw new BadInputException("seeds.adaptive.step must be at least 1, got " + step);
            }
            if (!(ci95HalfWidth > 0.0 && Double.isFinite(ci95HalfWidth))) {
                throw new BadInputException("seeds.adaptive.ci95_half_width must be a positive accuracy"
                        + " fraction (e.g. 0.005 for ±0.5 points), got " + ci95HalfWidth);
            }
        }
    }

    /** Where a unit or pair stands after a round. */
    public enum Status {
        /** Gets more seeds in the next round. */
        RUNNING,
        /** Its half-width is at or below the target. */
        MET,
        /** Above the target (or undefined) with {@code max} seeds run: no more seeds. */
        AT_MAX
    }

    /** Two units whose paired difference (a − b, by seed) must meet the target too. */
    public record Pair<K>(K a, K b) {
        public Pair {
            Objects.requireNonNull(a, "a");
            Objects.requireNonNull(b, "b");
        }
    }

    /**
     * A unit's decision.
     *
     * @param seedsRun  seeds run so far, FAILED ones included
     * @param nOk       seeds with an accuracy
     * @param halfWidth 95 % Student-t half-width of the mean accuracy; NaN below two OK seeds
     * @param status    where the unit stands
     * @param nextSeeds the seeds to run in the next round, ascending; empty unless {@link Status#RUNNING}
     */
    public record UnitDecision(int seedsRun, int nOk, double halfWidth, Status status, List<Long> nextSeeds) {
        public UnitDecision {
            nextSeeds = List.copyOf(nextSeeds);
        }
    }

    /**
     * A pair's decision.
     *
     * @param nPairs    seeds with an accuracy for both units
     * @param halfWidth 95 % Student-t half-width of the mean paired difference; NaN below two pairs
     */
    public record PairDecision<K>(K a, K b, int nPairs, double halfWidth, Status status) {
    }

    /**
     * The plan of one round.
     *
     * @param units one decision per unit, in the order the units were given
     * @param pairs one decision per pair, in the order given
     */
    public record Plan<K>(Map<K, UnitDecision> units, List<PairDecision<K>> pairs) {
        public Plan {
            units = Collections.unmodifiableMap(new LinkedHashMap<>(units));
            pairs = List.copyOf(pairs);
        }

        /** True when no unit gets another seed: the allocation is over. */
        public boolean done() {
            return units.values().stream().allMatch(u -> u.nextSeeds().isEmpty());
        }
    }

    /**
     * Plans the next round.
     *
     * @param policy   the rule
     * @param measured per unit, the accuracy of each seed run so far (NaN for a FAILED cell); a unit that has run
     *                 nothing maps to an empty map
     * @param pairs    pairs whose difference must meet the target; both units must be in {@code measured}
     */
    public static <K> Plan<K> plan(Policy policy, Map<K, ? extends Map<Long, Double>> measured, List<Pair<K>> pairs) {
        Map<K, Integer> wanted = new LinkedHashMap<>();
        Map<K, Double> halfWidths = new LinkedHashMap<>();
        measured.forEach((unit, bySeed) -> {
            int run = bySeed.size();
            double hw = halfWidth(bySeed.values().stream().mapToDouble(Double::doubleValue)
                    .filter(Double::isFinite).toArray());
            halfWidths.put(unit, hw);
            int target = run;
            if (run < policy.initial()) {
                target = policy.initial();
            } else if (!(hw <= policy.ci95HalfWidth())) {
                target = Math.min(policy.max(), run + policy.step());
            }
            wanted.put(unit, Math.max(run, target));
        });
        List<PairDecision<K>> pairDecisions = new ArrayList<>();
        for (Pair<K> p : pairs) {
            Map<Long, Double> a = lookUp(measured, p.a());
            Map<Long, Double> b = lookUp(measured, p.b());
            List<Double> diffs = new ArrayList<>();
            a.forEach((seed, va) -> {
                Double vb = b.get(seed);
                if (vb != null && Double.isFinite(va) && Double.isFinite(vb)) {
                    diffs.add(va - vb);
                }
            });
            double hw = halfWidth(diffs.stream().mapToDouble(Double::doubleValue).toArray());
            int fewer = Math.min(a.size(), b.size());
            Status status;
            if (fewer < policy.initial()) {
                status = Status.RUNNING;
            } else if (hw <= policy.ci95HalfWidth()) {
                status = Status.MET;
            } else if (fewer >= policy.max()) {
                status = Status.AT_MAX;
            } else {
                status = Status.RUNNING;
                int target = Math.min(policy.max(), fewer + policy.step());
                wanted.merge(p.a(), target, Math::max);
                wanted.merge(p.b(), target, Math::max);
            }
            pairDecisions.add(new PairDecision<>(p.a(), p.b(), diffs.size(), hw, status));
        }
        Map<K, UnitDecision> decisions = new LinkedHashMap<>();
        measured.forEach((unit, bySeed) -> {
            int run = bySeed.size();
            List<Long> next = smallestMissing(bySeed, wanted.get(unit) - run);
            double hw = halfWidths.get(unit);
            Status status = !next.isEmpty() ? Status.RUNNING
                    : hw <= policy.ci95HalfWidth() ? Status.MET : Status.AT_MAX;
            int ok = (int) bySeed.values().stream().filter(v -> Double.isFinite(v)).count();
            decisions.put(unit, new UnitDecision(run, ok, hw, status, next));
        });
        return new Plan<>(decisions, pairDecisions);
    }

    /**
     * A unit's accuracies per seed when it runs several model seeds: at each seed, the mean over the model seeds
     * whose cell at that seed is OK (NaN when none is). Seed s runs at every model seed, so the model seeds' own
     * offsets are common to all seeds and cancel in the spread of these means: their half-width is the
     * precision that more seeds can buy. The between-model-seed part does not shrink with more seeds; the
     * variance components report it, and only more model seeds reduce it (docs/statistics.md).
     *
     * @param byModelSeed per model seed, the accuracy of each seed run (NaN for a FAILED cell)
     */
    public static Map<Long, Double> poolModelSeeds(Map<Long, ? extends Map<Long, Double>> byModelSeed) {
        Map<Long, double[]> sums = new java.util.TreeMap<>();
        byModelSeed.values().forEach(bySeed -> bySeed.forEach((seed, acc) -> {
            double[] s = sums.computeIfAbsent(seed, k -> new double[2]);
            if (Double.isFinite(acc)) {
                s[0] += acc;
                s[1] += 1;
            }
        }));
        Map<Long, Double> out = new java.util.TreeMap<>();
        sums.forEach((seed, s) -> out.put(seed, s[1] == 0 ? Double.NaN : s[0] / s[1]));
        return out;
    }

    /** Half-width of the 95 % Student-t interval of the mean of {@code values}; NaN below two values. */
    static double halfWidth(double[] values) {
        DescriptiveStatistics s = new DescriptiveStatistics(values);
        return Statistics.ciHalfWidth(Statistics.sampleStd(s), s.getN());
    }

    private static <K> Map<Long, Double> lookUp(Map<K, ? extends Map<Long, Double>> measured, K unit) {
        Map<Long, Double> m = measured.get(unit);
        if (m == null) {
            throw new IllegalArgumentException("pair names unit " + unit + ", which is not among the measured units"
                    + " " + measured.keySet() + "; pass every unit of the grid, with an empty map if it has no seeds");
        }
        return m;
    }

    private static List<Long> smallestMissing(Map<Long, Double> done, int count) {
        List<Long> next = new ArrayList<>();
        for (long seed = 0; next.size() < count; seed++) {
            if (!done.containsKey(seed)) {
                next.add(seed);
            }
        }
        return next;
    }
}
