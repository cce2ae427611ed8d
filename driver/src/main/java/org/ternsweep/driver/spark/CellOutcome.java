package org.ternsweep.driver.spark;

import java.io.Serializable;
import org.ternsweep.core.CellResult;

/**
 * What a cell task sends back to the driver: enough to report, not the metrics (those are in the
 * cell's Parquet file, which is the only source of truth). {@code seconds} is the cell's compute time
 * in the task (the executor's run), for {@link FanOutStats}.
 */
public record CellOutcome(String cellId, CellResult.Status status, String operator, String method, long seed,
                          String errorClass, String errorMessage, double seconds) implements Serializable {
}
