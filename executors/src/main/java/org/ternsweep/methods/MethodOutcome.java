package org.ternsweep.methods;

import java.util.List;
import org.ternsweep.core.EpochStat;
import org.ternsweep.core.LayerDiagnostics;
import org.ternsweep.engine.Network;

/**
 * A method's result: the quantized, BN-folded network, ready for evaluation, with per-layer
 * diagnostics and, for training methods, the training curve.
 */
public record MethodOutcome(Network network, List<LayerDiagnostics> layers, List<EpochStat> trainingCurve) {
    public MethodOutcome {
        layers = List.copyOf(layers);
        trainingCurve = trainingCurve == null ? List.of() : List.copyOf(trainingCurve);
    }
}
