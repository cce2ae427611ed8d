package org.ternsweep.results.stats;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.ToDoubleFunction;
import org.apache.commons.math3.distribution.TDistribution;
import org.apache.commons.math3.stat.descriptive.DescriptiveStatistics;
import org.apache.commons.math3.stat.inference.TTest;
import org.ternsweep.core.BadInputException;
import org.ternsweep.results.model.CellRow;
import org.ternsweep.results.model.ComparisonRow;
import org.ternsweep.results.model.GroupKey;
import org.ternsweep.results.model.OperatorKey;
import org.ternsweep.results.model.SummaryRow;

/**
 * Summaries and paired comparisons of a sweep's cells.
 *
 * <p>A group is every axis but the model seed and the seed ({@link GroupKey} plus {@link OperatorKey}); its
 * summary pools the OK cells of all its model seeds and seeds, counts the FAILED ones, and splits the spread
 * into a between- and a within-model-seed component ({@link VarianceComponents}); its bootstrap interval
 * resamples within model seeds ({@link Bootstrap}). Comparisons pair cells by (model seed, seed) within a
 * {@link GroupKey}, and add the bootstrap interval of the mean difference (stratified by model seed), Cohen's
 * d<sub>z</sub>, P(A &gt; B) ({@link EffectSizes}) and the almost stochastic order ε ({@link AlmostStochasticOrder}): each
 * operator against the reference operator ({@link ComparisonRow.Kind#VS_REFERENCE}) and every two
 * non-reference operators against each other ({@link ComparisonRow.Kind#BETWEEN_OPERATORS}, difference
 * = the operator first in name order minus the other). Pairing is valid because at a given seed every
 * operator sees the same calibration data and batch order (spec §5, common random numbers). Holm's
 * adjustment runs across all comparisons of one kind.
 *
 * <p>Degenerate inputs never throw: with one pair the t-test, CI and seed advice are NaN/null; when all
 * differences are equal (zero variance) the t statistic is undefined, so the t p-value is 1 if they are
 * all zero and NaN otherwise, and the Wilcoxon p-value is computed as usual (NaN when all are zero). The
 * row's {@code note} says which case applied. Differences and spreads within
 * {@link WilcoxonSignedRank#TOLERANCE} of zero count as zero.
 *
 * <p>If the reference operator occurs in no cell, there are no {@code VS_REFERENCE} rows; the driver
 * checks the reference against the sweep's operators before it runs anything.
 */
public final class Statistics {
    /** Confidence level of every interval. */
    public static final double CONFIDENCE = 0.95;

    private Statistics() {
    }

    /** One summary row per group and operator, in group then operator order. */
    public static List<SummaryRow> summarize(List<CellRow> cells) {
        Map<GroupKey, Map<OperatorKey, List<CellRow>>> byGroup = index(cells);
        List<SummaryRow> rows = new ArrayList<>();
        byGroup.forEach((group, byOperator) -> byOperator.forEach((operator, groupCells) -> {
            List<CellRow> ok = groupCells.stream().filter(CellRow::ok).toList();
            int failed = groupCells.size() - ok.size();
            DescriptiveStatistics acc = describe(ok, CellRow::accuracy);
            DescriptiveStatistics quantize = describe(ok, CellRow::quantizeSeconds);
            DescriptiveStatistics eval = describe(ok, CellRow::evalSeconds);
            DescriptiveStatistics floatAcc = describe(ok, CellRow::floatAccuracy);
            int n = ok.size();
            rows.add(new SummaryRow(group, operator, n, failed, acc.getMean(), sampleStd(acc),
                    ciHalfWidth(sampleStd(acc), n), acc.getMin(), acc.getPercentile(50), acc.getMax(),
                    floatAcc.getMean(), quantize.getMean(), sampleStd(quantize), eval.getMean(), sampleStd(eval),
                    spread(groupCells, ok)));
        }));
        return rows;
    }

    private static SummaryRow.Spread spread(List<CellRow> all, List<CellRow> ok) {
        double[] values = ok.stream().mapToDouble(CellRow::accuracy).toArray();
        long[] modelSeeds = ok.stream().mapToLong(CellRow::modelSeed).toArray();
        Bootstrap.Interval bca = Bootstrap.mean(values, modelSeeds);
        int nModelSeeds = (int) all.stream().mapToLong(CellRow::modelSeed).distinct().count();
        double between = Double.NaN;
        double within = Double.NaN;
        double fraction = Double.NaN;
        if (Arrays.stream(modelSeeds).distinct().count() >= 2) {
            VarianceComponents.Result v = VarianceComponents.oneWay(values, modelSeeds);
            between = v.between();
            within = v.within();
            fraction = v.betweenFraction();
        }
        int collapsed = (int) ok.stream().filter(CellRow::collapsed).count();
        return new SummaryRow.Spread(bca.low(), bca.high(), nModelSeeds, between, within, fraction, collapsed,
                seedsRun(all.stream().map(CellRow::seed).toList()), null);
    }

    /** Seeds as ascending runs, e.g. {@code 0-4, 7}. */
    static String seedsRun(List<Long> seeds) {
        List<Long> sorted = new ArrayList<>(new TreeSet<>(seeds));
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < sorted.size(); ) {
            int j = i;
            while (j + 1 < sorted.size() && sorted.get(j + 1) == sorted.get(j) + 1) {
                j++;
            }
            parts.add(i == j ? Long.toString(sorted.get(i)) : sorted.get(i) + "-" + sorted.get(j));
            i = j + 1;
        }
        return String.join(", ", parts);
    }

    /**
     * Paired comparisons, first every operator against {@code reference}, then the non-reference
     * operators against each other; each family Holm-adjusted.
     *
     * @param reference an operator name (e.g. "native"), or "name options" to pick one setting where the
     *                  sweep holds several settings of that operator
     * @throws BadInputException if {@code reference} names an operator with several settings, or two
     *                           OK cells share group, operator and seed
     */
    public static List<ComparisonRow> compare(List<CellRow> cells, String reference) {
        Map<GroupKey, Map<OperatorKey, List<CellRow>>> byGroup = index(cells);
        TreeSet<OperatorKey> allOperators = new TreeSet<>();
        byGroup.values().forEach(m -> allOperators.addAll(m.keySet()));
        OperatorKey ref = resolveReference(reference, allOperators);
        List<ComparisonRow> vsReference = new ArrayList<>();
        List<ComparisonRow> between = new ArrayList<>();
        byGroup.forEach((group, byOperator) -> {
            List<OperatorKey> others = byOperator.keySet().stream().filter(k -> !k.equals(ref)).toList();
            if (ref != null && byOperator.containsKey(ref)) {
                for (OperatorKey op : others) {
                    vsReference.add(pair(ComparisonRow.Kind.VS_REFERENCE, group, op, byOperator.get(op), ref,
                            byOperator.get(ref)));
                }
            }
            for (int i = 0; i < others.size(); i++) {
                for (int j = i + 1; j < others.size(); j++) {
                    OperatorKey a = others.get(i);
                    OperatorKey b = others.get(j);
                    between.add(pair(ComparisonRow.Kind.BETWEEN_OPERATORS, group, a, byOperator.get(a), b,
                            byOperator.get(b)));
                }
            }
        });
        List<ComparisonRow> out = new ArrayList<>(holm(vsReference));
        out.addAll(holm(between));
        return out;
    }

    /** A unit of the adaptive seed rule as the report sees it: a group and an operator. */
    public record Unit(GroupKey group, OperatorKey operator) {
    }

    /**
     * The adaptive rule's standing after the stored cells: each summary row gets its {@code seeds_status} and
     * each comparison against the reference whether its half-width met the target, from the same
     * {@link AdaptiveSeeds#plan} the driver runs between rounds (units pooled over model seeds with
     * {@link AdaptiveSeeds#poolModelSeeds}, each operator paired with the reference).
     *
     * @param reference as for {@link #compare}
     */
    public static Adaptive adaptive(AdaptiveSeeds.Policy policy, List<CellRow> cells, String reference,
                                    List<SummaryRow> summary, List<ComparisonRow> comparisons) {
        Map<GroupKey, Map<OperatorKey, List<CellRow>>> byGroup = index(cells);
        TreeSet<OperatorKey> allOperators = new TreeSet<>();
        byGroup.values().forEach(m -> allOperators.addAll(m.keySet()));
        OperatorKey ref = resolveReference(reference, allOperators);
        Map<Unit, Map<Long, Double>> measured = new java.util.LinkedHashMap<>();
        List<AdaptiveSeeds.Pair<Unit>> pairs = new ArrayList<>();
        byGroup.forEach((group, byOperator) -> {
            byOperator.forEach((op, list) -> {
                Map<Long, Map<Long, Double>> byModelSeed = new TreeMap<>();
                for (CellRow c : list) {
                    byModelSeed.computeIfAbsent(c.modelSeed(), k -> new TreeMap<>())
                            .put(c.seed(), c.ok() ? c.accuracy() : Double.NaN);
                }
                measured.put(new Unit(group, op), AdaptiveSeeds.poolModelSeeds(byModelSeed));
            });
            if (ref != null && byOperator.containsKey(ref)) {
                byOperator.keySet().stream().filter(op -> !op.equals(ref))
                        .forEach(op -> pairs.add(new AdaptiveSeeds.Pair<>(new Unit(group, op), new Unit(group, ref))));
            }
        });
        AdaptiveSeeds.Plan<Unit> plan = AdaptiveSeeds.plan(policy, measured, pairs);
        List<SummaryRow> s = summary.stream().map(r -> r.withSeedsStatus(status(
                plan.units().get(new Unit(r.group(), r.operator())).status()))).toList();
        Map<Unit, AdaptiveSeeds.Status> pairStatus = new java.util.HashMap<>();
        plan.pairs().forEach(p -> pairStatus.put(p.a(), p.status()));
        List<ComparisonRow> c = comparisons.stream().map(r -> r.kind() != ComparisonRow.Kind.VS_REFERENCE ? r
                : r.withHalfWidthMet(pairStatus.get(new Unit(r.group(), r.operator())) == AdaptiveSeeds.Status.MET))
                .toList();
        return new Adaptive(s, c);
    }

    /** Summary and comparison rows with the adaptive rule's columns filled in. */
    public record Adaptive(List<SummaryRow> summary, List<ComparisonRow> comparisons) {
    }

    private static String status(AdaptiveSeeds.Status s) {
        return s.name().toLowerCase(java.util.Locale.ROOT);
    }

    private static OperatorKey resolveReference(String reference, TreeSet<OperatorKey> all) {
        for (OperatorKey k : all) {
            if (reference.equals(k.operator() + " " + k.options())) {
                return k;
            }
        }
        List<OperatorKey> byName = all.stream().filter(k -> k.operator().equals(reference)).toList();
        if (byName.size() > 1) {
            List<String> choices = byName.stream().map(k -> k.operator() + " " + k.options()).toList();
            throw new BadInputException("reference operator '" + reference + "' has " + byName.size()
                    + " settings in this sweep; set the reference to one of " + choices);
        }
        return byName.isEmpty() ? null : byName.get(0);
    }

    private static ComparisonRow pair(ComparisonRow.Kind kind, GroupKey group, OperatorKey op, List<CellRow> opCells,
                                      OperatorKey base, List<CellRow> baseCells) {
        Map<Draw, Double> a = byDraw(group, op, opCells);
        Map<Draw, Double> b = byDraw(group, base, baseCells);
        List<Double> av = new ArrayList<>();
        List<Double> bv = new ArrayList<>();
        List<Long> strata = new ArrayList<>();
        int unpaired = 0;
        for (Map.Entry<Draw, Double> e : a.entrySet()) {
            Double other = b.get(e.getKey());
            if (other == null) {
                unpaired++;
            } else {
                av.add(e.getValue());
                bv.add(other);
                strata.add(e.getKey().modelSeed());
            }
        }
        unpaired += (int) b.keySet().stream().filter(draw -> !a.containsKey(draw)).count();
        double[] x = av.stream().mapToDouble(Double::doubleValue).toArray();
        double[] y = bv.stream().mapToDouble(Double::doubleValue).toArray();
        double[] d = new double[x.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = x[i] - y[i];
        }
        Bootstrap.Interval bca = Bootstrap.mean(d, strata.stream().mapToLong(Long::longValue).toArray());
        AlmostStochasticOrder.Result aso = AlmostStochasticOrder.test(x, y);
        ComparisonRow.Effect effect = new ComparisonRow.Effect(bca.low(), bca.high(), EffectSizes.cohensDz(d),
                EffectSizes.probabilityOfImprovement(d), aso.epsilonW2(), aso.epsilonMin(), null);
        return PairedComparison.of(kind, group, op, base, d, unpaired, effect);
    }

    /** A cell's random draw: its model seed and its seed, on which comparisons pair. */
    private record Draw(long modelSeed, long seed) implements Comparable<Draw> {
        @Override
        public int compareTo(Draw o) {
            int c = Long.compare(modelSeed, o.modelSeed);
            return c != 0 ? c : Long.compare(seed, o.seed);
        }
    }

    private static Map<Draw, Double> byDraw(GroupKey group, OperatorKey op, List<CellRow> cells) {
        Map<Draw, Double> acc = new TreeMap<>();
        Map<Draw, String> ids = new TreeMap<>();
        for (CellRow c : cells) {
            if (!c.ok()) {
                continue;
            }
            Draw draw = new Draw(c.modelSeed(), c.seed());
            String previous = ids.putIfAbsent(draw, c.cellId());
            if (previous != null) {
                throw new BadInputException("cells " + previous + " and " + c.cellId() + " both measure "
                        + op.operator() + " at model seed " + c.modelSeed() + " and seed " + c.seed() + " in group "
                        + group + "; a group holds one cell per operator, model seed and seed: remove the duplicate"
                        + " from the results or add the axis that tells them apart");
            }
            acc.put(draw, c.accuracy());
        }
        return acc;
    }

    private static List<ComparisonRow> holm(List<ComparisonRow> rows) {
        double[] t = Holm.adjust(rows.stream().mapToDouble(ComparisonRow::tPValue).toArray());
        double[] w = Holm.adjust(rows.stream().mapToDouble(ComparisonRow::wilcoxonPValue).toArray());
        List<ComparisonRow> out = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            out.add(rows.get(i).withHolm(t[i], w[i]));
        }
        return out;
    }

    private static Map<GroupKey, Map<OperatorKey, List<CellRow>>> index(List<CellRow> cells) {
        Map<GroupKey, Map<OperatorKey, List<CellRow>>> byGroup = new TreeMap<>();
        for (CellRow c : cells) {
            byGroup.computeIfAbsent(c.groupKey(), g -> new TreeMap<>())
                    .computeIfAbsent(c.operatorKey(), o -> new ArrayList<>()).add(c);
        }
        return byGroup;
    }

    private static DescriptiveStatistics describe(List<CellRow> cells, ToDoubleFunction<CellRow> f) {
        return new DescriptiveStatistics(cells.stream().mapToDouble(f).filter(Double::isFinite).toArray());
    }

    /** Sample standard deviation (n − 1); NaN below two values (commons-math3 would report 0 for one). */
    static double sampleStd(DescriptiveStatistics s) {
        return s.getN() < 2 ? Double.NaN : s.getStandardDeviation();
    }

    /** Half-width of the Student-t confidence interval of a mean; NaN below two values. */
    static double ciHalfWidth(double std, long n) {
        if (n < 2 || Double.isNaN(std)) {
            return Double.NaN;
        }
        double t = new TDistribution(null, n - 1).inverseCumulativeProbability(0.5 + CONFIDENCE / 2.0);
        return t * std / Math.sqrt(n);
    }

    /** The paired tests and seed advice for one vector of differences. */
    static final class PairedComparison {
        private PairedComparison() {
        }

        static ComparisonRow of(ComparisonRow.Kind kind, GroupKey group, OperatorKey op, OperatorKey base,
                                double[] d, int unpaired, ComparisonRow.Effect effect) {
            int n = d.length;
            DescriptiveStatistics s = new DescriptiveStatistics(d);
            double mean = n == 0 ? Double.NaN : s.getMean();
            double std = sampleStd(s);
            WilcoxonSignedRank.Result w = WilcoxonSignedRank.test(d);
            List<String> notes = new ArrayList<>();
            double tp;
            double half = ciHalfWidth(std, n);
            Integer seeds = null;
            boolean below = false;
            double se = n < 2 ? Double.NaN : std / Math.sqrt(n);
            if (n < 2) {
                tp = Double.NaN;
                notes.add(n == 0 ? "no pairs: no seed has OK cells for both operators"
                        : "one pair: no variance, so no t-test, interval or seed advice; run more seeds");
            } else if (std <= WilcoxonSignedRank.TOLERANCE) {
                boolean allZero = Arrays.stream(d).allMatch(v -> Math.abs(v) <= WilcoxonSignedRank.TOLERANCE);
                tp = allZero ? 1.0 : Double.NaN;
                notes.add(allZero ? "all differences are zero: t p-value set to 1"
                        : "all differences are equal and non-zero: zero variance, t statistic undefined");
            } else {
                tp = new TTest().tTest(0.0, d);
                below = Math.abs(mean) < std;
                OptionalInt need = PairedSampleSize.pairsNeeded(mean / std, PairedSampleSize.ALPHA,
                        PairedSampleSize.POWER);
                if (need.isPresent()) {
                    seeds = need.getAsInt();
                } else {
                    notes.add("difference too small to detect with " + PairedSampleSize.MAX_SEEDS + " seeds");
                }
            }
            if (!w.note().isEmpty() && n > 0) {
                notes.add("Wilcoxon: " + w.note());
            }
            return new ComparisonRow(kind, group, op, base, n, unpaired, mean, std, mean - half, mean + half, tp,
                    w.pValue(), w.exact(), Double.NaN, Double.NaN, se, seeds, below, String.join("; ", notes), effect);
        }
    }
}
