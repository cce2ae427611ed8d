package org.ternsweep.driver.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The driver address defaults of a cluster session (its UI stays on loopback, its RPC does not). */
class SparkSessionsTest {
    @Test
    void aLoopbackSparkLocalIpMovesOnlyTheRpcToTheNetworkAddress() {
        assertEquals(Map.of("spark.driver.host", "192.0.2.7", "spark.driver.bindAddress", "192.0.2.7"),
                SparkSessions.clusterDefaults(Map.of("spark.executor.memory", "1g"), "127.0.0.1", () -> "192.0.2.7"));
    }

    @Test
    void theUsersDriverAddressOrANonLoopbackSparkLocalIpIsLeftAlone() {
        assertEquals(Map.of(), SparkSessions.clusterDefaults(Map.of("spark.driver.host", "h"), "127.0.0.1",
                () -> "192.0.2.7"));
        assertEquals(Map.of(), SparkSessions.clusterDefaults(Map.of("spark.driver.bindAddress", "0.0.0.0"),
                "127.0.0.1", () -> "192.0.2.7"));
        assertEquals(Map.of(), SparkSessions.clusterDefaults(Map.of(), "10.1.2.3", () -> "192.0.2.7"));
        assertEquals(Map.of(), SparkSessions.clusterDefaults(Map.of(), null, () -> "192.0.2.7"));
        assertEquals(Map.of(), SparkSessions.clusterDefaults(Map.of(), "127.0.0.1", () -> null),
                "a machine without a network keeps loopback");
    }

    @Test
    void loopbackNames() {
        assertTrue(SparkSessions.isLoopback("127.0.0.1"));
        assertTrue(SparkSessions.isLoopback("localhost"));
        assertTrue(SparkSessions.isLoopback("::1"));
        assertFalse(SparkSessions.isLoopback("192.0.2.7"));
        String a = SparkSessions.networkAddress();
        assertTrue(a == null || !SparkSessions.isLoopback(a), a);
    }
}
