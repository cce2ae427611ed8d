package org.ternsweep.models;

/**
 * What one (possibly partial) training epoch did: 1-based epoch number, optimiser steps, mean
 * training loss and accuracy over its batches (training mode, before each step), wall seconds.
 */
public record EpochReport(int epoch, int steps, double meanLoss, double trainAccuracy, double seconds) {
    public EpochReport {
        if (epoch < 1 || steps < 0 || seconds < 0) {
            throw new IllegalArgumentException("invalid epoch report: epoch " + epoch + ", steps " + steps
                    + ", seconds " + seconds);
        }
    }
}
