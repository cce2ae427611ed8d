package org.ternsweep.models;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.ternsweep.engine.Adam;
import org.ternsweep.engine.Optimizer;
import org.ternsweep.engine.Param;
import org.ternsweep.engine.Sgd;

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
