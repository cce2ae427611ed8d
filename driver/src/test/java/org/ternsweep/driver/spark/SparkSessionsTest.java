package org.ternsweep.driver.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The driver address defaults of a cluster session (its UI stays on loopback, its RPC does not), and the
 * choice of this machine's network address, on constructed addresses (so every case is checked on any
 * machine) and on this machine's own interfaces where it has a network.
 */
class SparkSessionsTest {
    private static InetAddress ip(int... bytes) throws UnknownHostException {
        byte[] b = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            b[i] = (byte) bytes[i];
        }
        return InetAddress.getByAddress(b);
    }

    private static InetAddress ipv6(int first, int second, int last) throws UnknownHostException {
        int[] b = new int[16];
        b[0] = first;
        b[1] = second;
        b[15] = last;
        return ip(b);
    }

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
    }

    @Test
    void loopbackNames() {
        assertTrue(SparkSessions.isLoopback("127.0.0.1"));
        assertTrue(SparkSessions.isLoopback("127.1.2.3"));
        assertTrue(SparkSessions.isLoopback("localhost"));
        assertTrue(SparkSessions.isLoopback("::1"));
        assertTrue(SparkSessions.isLoopback(" 0:0:0:0:0:0:0:1 "));
        assertFalse(SparkSessions.isLoopback("192.0.2.7"));
        assertFalse(SparkSessions.isLoopback("driver.example.org"));
    }

    @Test
    void theHostNamesOwnAddressIsTakenWhenItIsNotLoopback() throws UnknownHostException {
        assertEquals("10.0.0.9", SparkSessions.networkAddress(ip(10, 0, 0, 9), List.of(ip(192, 0, 2, 7))));
    }

    @Test
    void aLoopbackHostNameFallsBackToTheFirstUsableInterfaceAddress() throws UnknownHostException {
        List<InetAddress> interfaces = List.of(ipv6(0xfe, 0x80, 1), ip(169, 254, 3, 4), ipv6(0x20, 0x01, 5),
                ip(127, 0, 1, 1), ip(192, 0, 2, 7), ip(198, 51, 100, 1));
        assertEquals("192.0.2.7", SparkSessions.networkAddress(ip(127, 0, 1, 1), interfaces),
                "IPv6, link-local and loopback addresses are passed over");
    }

    /** A machine without a network: no address, so a cluster session keeps Spark's loopback default. */
    @Test
    void aMachineWithoutANetworkHasNoNetworkAddressAndKeepsLoopback() throws UnknownHostException {
        InetAddress loopback = ip(127, 0, 0, 1);
        assertNull(SparkSessions.networkAddress(loopback, List.of()));
        String none = SparkSessions.networkAddress(loopback, List.of(ip(169, 254, 1, 1), ipv6(0x20, 0x01, 1)));
        assertNull(none);
        assertEquals(Map.of(), SparkSessions.clusterDefaults(Map.of(), "127.0.0.1", () -> none));
    }

    @Test
    void thisMachinesNetworkAddressIsOneOfItsOwnNonLoopbackAddresses() throws SocketException, UnknownHostException {
        List<String> own = new ArrayList<>();
        for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (ni.isUp() && !ni.isLoopback()) {
                Collections.list(ni.getInetAddresses()).stream()
                        .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress())
                        .forEach(a -> own.add(a.getHostAddress()));
            }
        }
        InetAddress host = InetAddress.getLocalHost();
        if (host instanceof Inet4Address && !host.isLoopbackAddress()) {
            own.add(host.getHostAddress());
        }
        Assumptions.assumeFalse(own.isEmpty(), "this machine has no non-loopback IPv4 address on an interface that is"
                + " up, so there is no network address to find here (the choice is tested on constructed addresses)");
        String a = SparkSessions.networkAddress();
        assertNotNull(a, "this machine has " + own);
        assertFalse(SparkSessions.isLoopback(a), a);
        assertTrue(own.contains(a), a + " is not one of " + own);
    }
}
