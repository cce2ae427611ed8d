package org.ternsweep.models;

import org.ternsweep.engine.ConvBackends;
import org.ternsweep.engine.Engine;

/** The engine the models tests run on: the runner's default backend (oneDNN) on two threads. */
final class TestEngines {
    /** Shared by the tests of this module, never closed (its workers end with the test JVM). */
    static final Engine ENGINE = Nd4jEngines.create(2, ConvBackends.DEFAULT);

    private TestEngines() {
    }
}
