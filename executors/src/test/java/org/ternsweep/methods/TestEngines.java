package org.ternsweep.methods;

import org.ternsweep.engine.ConvBackends;
import org.ternsweep.engine.Engine;
import org.ternsweep.models.Nd4jEngines;

/** The engine the methods tests run on: the runner's default backend (oneDNN) on two threads. */
final class TestEngines {
    /** Shared by the tests of this package, never closed (its workers end with the test JVM). */
    static final Engine ENGINE = Nd4jEngines.create(2, ConvBackends.DEFAULT);

    private TestEngines() {
    }
}
