package org.ternsweep.results;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.ternsweep.core.Sha256;
import org.ternsweep.results.store.StoredCell;

/**
 * The provenance facts of a report header, taken only from what the output directory holds (so a report
 * rebuilt on another machine states the run's facts, not its own): the observed provenance of every cell
 * (host, versions, JVM, OS/arch, ND4J backend, dataset SHA-256, float-model key, Spark application id...)
 * and the resolved sweep file. Keys that differ per cell or task (executor, attempt, stage, timestamps, cell
 * seconds) are left out; the time span of the run, from the tasks' {@code task_started_at} and
 * {@code task_finished_at} (docs/results-schema.md), replaces the timestamps. A key with several values
 * lists them, sorted, up to {@value #MAX_VALUES}, then says how many there are.
 */
public final class ProvenanceFacts {
    /** The most distinct values listed for one key. */
    public static final int MAX_VALUES = 4;

    private static final Set<String> PER_CELL = Set.of("executor_id", "task_attempt_id", "task_attempt_number",
            "stage_id", "task_started_at", "task_finished_at", "cell_started_at", "cell_finished_at", "cell_seconds",
            // the same keys in cells of older output directories: the task's started_at and ended_at, the
            // runner's finished_at
            "started_at", "ended_at", "finished_at");

    private ProvenanceFacts() {
    }

    /** The facts of {@code cells} and {@code sweepYaml}, sorted by key. */
    public static Map<String, String> of(List<StoredCell> cells, String sweepYaml) {
        Map<String, TreeSet<String>> values = new TreeMap<>();
        Instant first = null;
        Instant last = null;
        int ok = 0;
        int unreadable = 0;
        for (StoredCell c : cells) {
            ok += c.row().ok() ? 1 : 0;
            for (Map.Entry<String, String> e : c.provenance().entrySet()) {
                if (!PER_CELL.contains(e.getKey())) {
                    values.computeIfAbsent(e.getKey(), k -> new TreeSet<>()).add(e.getValue());
                }
            }
            Instant start = instant(either(c.provenance(), "task_started_at", "started_at"));
            Instant end = instant(either(c.provenance(), "task_finished_at", "ended_at"));
            unreadable += start == null || end == null ? 1 : 0;
            first = start != null && (first == null || start.isBefore(first)) ? start : first;
            last = end != null && (last == null || end.isAfter(last)) ? end : last;
        }
        Map<String, String> facts = new TreeMap<>();
        values.forEach((k, v) -> facts.put(k, join(v)));
        facts.put("cells", cells.size() + " (" + ok + " OK, " + (cells.size() - ok) + " FAILED)");
        if (first != null && last != null) {
            facts.put("cells_run_between", first + " and " + last);
        }
        if (unreadable > 0) {
            facts.put("cells_without_iso_timestamps", Integer.toString(unreadable));
        }
        if (!sweepYaml.isEmpty()) {
            facts.put("sweep_yaml_sha256", Sha256.of(sweepYaml));
        }
        return facts;
    }

    private static String join(TreeSet<String> v) {
        if (v.size() <= MAX_VALUES) {
            return String.join(", ", v);
        }
        List<String> shown = new ArrayList<>(v).subList(0, MAX_VALUES);
        return v.size() + " values: " + String.join(", ", shown) + ", ...";
    }

    /** The value of {@code key}, or of the key older rows used for it. */
    private static String either(Map<String, String> provenance, String key, String before) {
        String v = provenance.get(key);
        return v != null ? v : provenance.get(before);
    }

    private static Instant instant(String s) {
        if (s == null) {
            return null;
        }
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            // counted in the cells_without_iso_timestamps fact and left out of the span
            return null;
        }
    }
}
