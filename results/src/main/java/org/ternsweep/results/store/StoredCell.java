package org.ternsweep.results.store;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.ternsweep.results.model.CellRow;

/**
 * One row of {@code cells/} as read back: the report's view of the cell plus the observed half of its
 * provenance, which the report header summarises.
 *
 * @param finishedAtMicros when the row was written (µs since the epoch); the newest row wins when a
 *                         cell occurs in more than one file
 */
public record StoredCell(CellRow row, Map<String, String> provenance, long finishedAtMicros) {
    public StoredCell {
        Objects.requireNonNull(row, "row");
        provenance = provenance == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(provenance));
    }
}
