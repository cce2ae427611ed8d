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
 * <p>A group is every axis but the seed ({@link GroupKey} plus {@link OperatorKey}); its summary covers the
 * OK cells and counts the FAILED ones. Comparisons pair cells by seed within a {@link GroupKey}: each
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
                    floatAcc.getMean(), quantize.getMean(), sampleStd(quantize), eval.getMean(), sampleStd(eval)));
        }));
        return rows;
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
        Map<Long, Double> a = bySeed(group, op, opCells);
        Map<Long, Double> b = bySeed(group, base, baseCells);
        List<Double> diffs = new ArrayList<>();
        int unpaired = 0;
        for (Map.Entry<Long, Double> e : a.entrySet()) {
            Double other = b.get(e.getKey());
            if (other == null) {
                unpaired++;
            } else {
                diffs.add(e.getValue() - other);
            }
        }
        unpaired += (int) b.keySet().stream().filter(seed -> !a.containsKey(seed)).count();
        double[] d = diffs.stream().mapToDouble(Double::doubleValue).toArray();
        return PairedComparison.of(kind, group, op, base, d, unpaired);
    }

    private static Map<Long, Double> bySeed(GroupKey group, OperatorKey op, List<CellRow> cells) {
        Map<Long, Double> acc = new TreeMap<>();
        Map<Long, String> ids = new TreeMap<>();
        for (CellRow c : cells) {
            if (!c.ok()) {
                continue;
            }
            String previous = ids.putIfAbsent(c.seed(), c.cellId());
            if (previous != null) {
                throw new BadInputException("cells " + previous + " and " + c.cellId() + " both measure "
                        + op.operator() + " at seed " + c.seed() + " in group " + group
                        + "; a group holds one cell per operator and seed: remove the duplicate from the results"
                        + " or add the axis that tells them apart");
            }
            acc.put(c.seed(), c.accuracy());
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
                                double[] d, int unpaired) {
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
                    w.pValue(), w.exact(), Double.NaN, Double.NaN, se, seeds, below, String.join("; ", notes));
        }
    }
}
