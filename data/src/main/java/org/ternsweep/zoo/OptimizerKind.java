package org.ternsweep.zoo;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.ternsweep.nn.Adam;
import org.ternsweep.nn.Optimizer;
import org.ternsweep.nn.Param;
import org.ternsweep.nn.Sgd;

/** The optimisers a training recipe may name. */
public enum OptimizerKind {
    /** Adam with PyTorch's defaults. */
    ADAM,
    /** SGD with momentum 0.9. */
    SGD;

    /** Parses {@code adam} or {@code sgd} (any case). */
    public static OptimizerKind parse(String name) {
        for (OptimizerKind k : values()) {
            if (k.name().equalsIgnoreCase(name == null ? "" : name.trim())) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown optimizer '" + name + "'; use one of "
                + Arrays.stream(values()).map(OptimizerKind::id).toList());
    }

    /** The lower-case name used in sweep files. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** A new optimiser of this kind over {@code params}. */
    public Optimizer create(List<Param> params, double lr) {
        return this == ADAM ? new Adam(params, lr) : new Sgd(params, lr);
    }
}
