package org.ternsweep.methods;

import java.util.List;
import org.ternsweep.core.EpochStat;
import org.ternsweep.core.LayerDiagnostics;
import org.ternsweep.engine.Network;

/**
 * A method's result: the quantized, BN-folded network, ready for evaluation, with per-layer
 * diagnostics and, for training methods, the training curve.
 *
 * @param reference the float network whose layers the quantized network's layers correspond to, for the output drift
 *                  diagnostics (spec §6): the equalized float network after CLE, or null for the BN-folded float
 *                  model itself
 */
public record MethodOutcome(Network network, List<LayerDiagnostics> layers, List<EpochStat> trainingCurve,
                            Network reference) {
    public MethodOutcome {
        layers = List.copyOf(layers);
        trainingCurve = trainingCurve == null ? List.of() : List.copyOf(trainingCurve);
    }

    /** An outcome whose layers correspond to the BN-folded float model's. */
    public MethodOutcome(Network network, List<LayerDiagnostics> layers, List<EpochStat> trainingCurve) {
        this(network, layers, trainingCurve, null);
    }
}
