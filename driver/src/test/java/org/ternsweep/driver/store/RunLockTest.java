package org.ternsweep.driver.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ternsweep.results.store.OutputLayout;

/** Two drivers on one output directory; stale locks (dead pid, old heartbeat) taken over. */
class RunLockTest {
    @TempDir
    Path dir;

    private final Configuration conf = new Configuration();

    private OutputLayout layout() {
        return new OutputLayout(dir.resolve("out").toString());
    }

    private void writeLock(String host, long pid, Instant mtime) throws IOException {
        Path lock = dir.resolve("out/_lock");
        Files.createDirectories(lock.getParent());
        Files.writeString(lock, "host=" + host + "\npid=" + pid + "\nstarted=2020-01-01T00:00:00Z\n");
        Files.setLastModifiedTime(lock, FileTime.from(mtime));
    }

    private static long deadPid() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        return p.pid();
    }

    @Test
    void secondDriverRefusesWhileTheFirstHoldsTheLock() throws IOException {
        try (RunLock first = RunLock.acquire(layout(), conf, false)) {
            assertNull(first.takenOverFrom());
            RunLock.LockedException e = assertThrows(RunLock.LockedException.class,
                    () -> RunLock.acquire(layout(), conf, false));
            assertTrue(e.getMessage().contains("in use by another ternsweep driver"), e.getMessage());
            assertTrue(e.getMessage().contains("pid=" + ProcessHandle.current().pid()), e.getMessage());
        }
        try (RunLock again = RunLock.acquire(layout(), conf, false)) {
            assertNull(again.takenOverFrom(), "a released lock is free");
        }
    }

    @Test
    void lockOfADeadDriverOnThisHostIsTakenOver() throws Exception {
        long pid = deadPid();
        writeLock(InetAddress.getLocalHost().getHostName(), pid, Instant.now());
        try (RunLock lock = RunLock.acquire(layout(), conf, false)) {
            assertTrue(lock.takenOverFrom().contains("pid " + pid + " is not running"), lock.takenOverFrom());
            assertTrue(Files.readString(dir.resolve("out/_lock")).contains("pid=" + ProcessHandle.current().pid()));
        }
        try (var files = Files.list(dir.resolve("out"))) {
            assertEquals(0, files.filter(p -> p.getFileName().toString().startsWith("_lock")).count(),
                    "no lock file left behind after close");
        }
    }

    @Test
    void forceUnlockIsRefusedWhileTheHolderRunsOnThisHost() throws IOException {
        try (RunLock first = RunLock.acquire(layout(), conf, false)) {
            String held = Files.readString(dir.resolve("out/_lock"));
            RunLock.LockedException e = assertThrows(RunLock.LockedException.class,
                    () -> RunLock.acquire(layout(), conf, true));
            assertTrue(e.getMessage().contains("--force-unlock refused"), e.getMessage());
            assertTrue(e.getMessage().contains("pid " + ProcessHandle.current().pid()), e.getMessage());
            assertEquals(held, Files.readString(dir.resolve("out/_lock")), "the holder keeps its lock");
        }
    }

    @Test
    void forceUnlockTakesOverALockOfAnotherHostWithinItsHeartbeat() throws IOException {
        writeLock("some-other-host", 12345, Instant.now());
        try (RunLock lock = RunLock.acquire(layout(), conf, true)) {
            assertTrue(lock.takenOverFrom().contains("--force-unlock"), lock.takenOverFrom());
        }
    }

    /** A live process with the holder's pid but another start time is not the holder: the pid was reused. */
    @Test
    void aLockWhosePidNowBelongsToAnotherProcessIsStale() throws IOException {
        Path lock = dir.resolve("out/_lock");
        Files.createDirectories(lock.getParent());
        Files.writeString(lock, "host=" + InetAddress.getLocalHost().getHostName() + "\npid="
                + ProcessHandle.current().pid() + "\npid_started=2001-02-03T04:05:06Z\nstarted=2001-02-03T04:05:07Z\n");
        try (RunLock taken = RunLock.acquire(layout(), conf, false)) {
            assertTrue(taken.takenOverFrom().contains("now belongs to a process started at"), taken.takenOverFrom());
        }
    }

    /** The first driver's lock was taken over (judged stale): closing it leaves the second driver's lock. */
    @Test
    void aDriverOnlyDeletesTheLockThatCarriesItsOwnToken() throws Exception {
        RunLock first = RunLock.acquire(layout(), conf, false);
        writeLock(InetAddress.getLocalHost().getHostName(), deadPid(), Instant.now());
        try (RunLock second = RunLock.acquire(layout(), conf, false)) {
            String secondLock = Files.readString(dir.resolve("out/_lock"));
            assertTrue(secondLock.contains("token="), secondLock);
            first.close();
            assertEquals(secondLock, Files.readString(dir.resolve("out/_lock")), "the second driver's lock stays");
            assertThrows(RunLock.LockedException.class, () -> RunLock.acquire(layout(), conf, false));
        }
        assertTrue(Files.notExists(dir.resolve("out/_lock")), "the second driver removes its own lock");
    }

    @Test
    void lockOfAnotherHostIsStaleOnlyWithoutHeartbeat() throws IOException {
        writeLock("some-other-host", 12345, Instant.now());
        assertThrows(RunLock.LockedException.class,
                () -> RunLock.acquire(layout(), conf, false, Duration.ofSeconds(30), Duration.ofSeconds(5)));
        writeLock("some-other-host", 12345, Instant.now().minusSeconds(120));
        try (RunLock lock = RunLock.acquire(layout(), conf, false, Duration.ofSeconds(30), Duration.ofSeconds(5))) {
            assertTrue(lock.takenOverFrom().contains("no heartbeat"), lock.takenOverFrom());
        }
    }

    @Test
    void heldLockKeepsItsHeartbeat() throws Exception {
        try (RunLock lock = RunLock.acquire(layout(), conf, false, Duration.ofSeconds(2), Duration.ofMillis(100))) {
            Path file = dir.resolve("out/_lock");
            Files.setLastModifiedTime(file, FileTime.from(Instant.now().minusSeconds(3600)));
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (Files.getLastModifiedTime(file).toInstant().isBefore(Instant.now().minusSeconds(60))
                    && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertTrue(Files.getLastModifiedTime(file).toInstant().isAfter(Instant.now().minusSeconds(60)),
                    "the heartbeat refreshed the lock's modification time");
        }
    }

    @Test
    void unwritableOutputDirectoryIsAClearError() throws IOException {
        Path file = dir.resolve("a-file");
        Files.writeString(file, "x");
        OutputNotWritableException e = assertThrows(OutputNotWritableException.class,
                () -> RunLock.acquire(new OutputLayout(file.resolve("out").toString()), conf, false));
        assertTrue(e.getMessage().contains(file.resolve("out").toString()), e.getMessage());
        assertTrue(e.getMessage().contains("writable"), e.getMessage());
    }
}
