package org.ternsweep.driver.spark;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.Success$;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.SparkListenerTaskStart;
import org.apache.spark.util.LongAccumulator;

/**
 * Feeds a {@link ProgressTracker} from Spark's task events, only for the jobs of one job group (the
 * cell fan-out), so that the resume and summary queries on the same session don't count as cells.
 * The FAILED-cell count is read from the accumulator the cell tasks add to; Spark merges a task's
 * accumulator updates before it posts the task-end event.
 */
public final class ProgressListener extends SparkListener {
    private final String jobGroup;
    private final ProgressTracker tracker;
    private final LongAccumulator failedCells;
    private final Set<Integer> stages = ConcurrentHashMap.newKeySet();

    public ProgressListener(String jobGroup, ProgressTracker tracker, LongAccumulator failedCells) {
        this.jobGroup = jobGroup;
        this.tracker = tracker;
        this.failedCells = failedCells;
    }

    @Override
    public void onJobStart(SparkListenerJobStart jobStart) {
        if (jobStart.properties() != null && jobGroup.equals(jobStart.properties().getProperty("spark.jobGroup.id"))) {
            scala.jdk.javaapi.CollectionConverters.asJava(jobStart.stageIds())
                    .forEach(id -> stages.add((Integer) id));
        }
    }

    @Override
    public void onTaskStart(SparkListenerTaskStart taskStart) {
        if (stages.contains(taskStart.stageId())) {
            tracker.started();
        }
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd taskEnd) {
        if (stages.contains(taskEnd.stageId())) {
            tracker.ended(taskEnd.reason() == Success$.MODULE$, failedCells.value());
        }
    }
}
