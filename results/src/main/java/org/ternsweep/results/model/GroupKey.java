package org.ternsweep.results.model;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * Every axis of a cell except the operator, the model seed and the seed: the cells that share a group key
 * differ only in operator, model seed and seed, so they form one row of the paper-style table, and the
 * pairs of a paired comparison (paired on model seed and seed). A group pools its model seeds: the float
 * model's training seed is a source of variance like the calibration seed (docs/statistics.md), not a setting
 * to report apart.
 *
 * @param methodOptions the method's resolved options as canonical JSON, as the cell rows store them: {@code {}}
 *                      if none (null and "" become {@code {}})
 */
public record GroupKey(String model, String dataset, String method, String methodOptions,
                       String granularity, String firstLast) implements Comparable<GroupKey> {

    /** The axes a group key is made of, in table order. */
    public enum Axis {
        MODEL("model", GroupKey::model),
        DATASET("dataset", GroupKey::dataset),
        METHOD("method", GroupKey::method),
        METHOD_OPTIONS("method_options", GroupKey::methodOptions),
        GRANULARITY("granularity", GroupKey::granularity),
        FIRST_LAST("first_last", GroupKey::firstLast);

        private final String column;
        private final Function<GroupKey, String> value;

        Axis(String column, Function<GroupKey, String> value) {
            this.column = column;
            this.value = value;
        }

        /** The column name used in tables, CSV and Parquet. */
        public String column() {
            return column;
        }

        /** This axis' value in {@code key}. */
        public String valueOf(GroupKey key) {
            return value.apply(key);
        }
    }

    private static final Comparator<GroupKey> ORDER = Comparator.comparing(GroupKey::model)
            .thenComparing(GroupKey::dataset).thenComparing(GroupKey::method).thenComparing(GroupKey::methodOptions)
            .thenComparing(GroupKey::granularity).thenComparing(GroupKey::firstLast);

    public GroupKey {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(dataset, "dataset");
        Objects.requireNonNull(method, "method");
        methodOptions = CellRow.options(methodOptions);
        Objects.requireNonNull(granularity, "granularity");
        Objects.requireNonNull(firstLast, "firstLast");
    }

    @Override
    public int compareTo(GroupKey o) {
        return ORDER.compare(this, o);
    }

    /**
     * The axes shown in a table of these keys: model, method and granularity always (the paper's
     * rows), every other axis only where it takes more than one value.
     */
    public static List<Axis> shownAxes(Collection<GroupKey> keys) {
        List<Axis> shown = new ArrayList<>();
        for (Axis axis : Axis.values()) {
            boolean always = axis == Axis.MODEL || axis == Axis.METHOD || axis == Axis.GRANULARITY;
            if (always || keys.stream().map(axis::valueOf).distinct().count() > 1) {
                shown.add(axis);
            }
        }
        return shown;
    }

    /** A compact label such as "cnn-small / adaround / per-channel" over the given axes. */
    public String label(List<Axis> axes) {
        List<String> parts = new ArrayList<>();
        for (Axis axis : axes) {
            String v = axis.valueOf(this);
            parts.add(v.isEmpty() ? "-" : v);
        }
        return String.join(" / ", parts);
    }
}
