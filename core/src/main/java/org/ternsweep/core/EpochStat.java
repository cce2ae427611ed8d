package org.ternsweep.core;

import java.io.Serializable;

/** One point of a training curve (QAT, float training): mean training loss and test accuracy. */
public record EpochStat(int epoch, double trainLoss, double testAccuracy) implements Serializable {
}
