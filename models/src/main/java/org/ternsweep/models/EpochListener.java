package org.ternsweep.models;

/** Receives a report at the end of every (possibly partial) training epoch. */
@FunctionalInterface
public interface EpochListener {
    /** A listener that ignores reports. */
    EpochListener NONE = r -> { };

    void onEpoch(EpochReport report);
}
