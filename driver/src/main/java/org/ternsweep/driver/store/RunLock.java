package org.ternsweep.driver.store;

import java.io.IOException;
import java.io.OutputStream;
import java.io.StringReader;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.ternsweep.core.BadInputException;
import org.ternsweep.core.FileModes;
import org.ternsweep.results.store.OutputLayout;

/**
 * {@code <out>/_lock}: held while a driver runs on an output directory, so two drivers never write
 * the same cells or summary. Created atomically (O_EXCL on a local disk, create-without-overwrite on
 * HDFS) with the holder's host, pid, the start time of its process and a random token; removed by
 * {@link #close()}, and only while it still carries this lock's token, so a driver whose lock was taken
 * over never deletes its successor's lock. While held, a daemon thread refreshes the file's modification
 * time every {@link #HEARTBEAT} (the heartbeat).
 *
 * <p>A second driver refuses with {@link LockedException}, unless the lock is stale: its holder is
 * on this host and its process is gone (the pid is not alive, or now belongs to a process started at
 * another time: a reused pid), or its heartbeat is older than the stale limit (default
 * {@link #STALE_AFTER}; a driver on another host that crashed). A stale lock is taken over safely:
 * it is first renamed away (only one contender's rename succeeds), its content is compared with what
 * was judged stale, and only then a new lock is created with O_EXCL. {@code --force-unlock} takes
 * over a lock whose holder cannot be checked (another host, within its heartbeat), and is refused while
 * the holder is alive on this host.
 */
public final class RunLock implements AutoCloseable {
    /** How often a held lock's modification time is refreshed. */
    public static final Duration HEARTBEAT = Duration.ofSeconds(10);
    /** A lock whose heartbeat is older than this is stale (six missed heartbeats). */
    public static final Duration STALE_AFTER = Duration.ofSeconds(60);

    private static final Logger LOG = LoggerFactory.getLogger(RunLock.class);

    private final Path path;
    private final FileSystem fs;
    private final String token;
    private final String takenOverFrom;
    private final ScheduledExecutorService heartbeat;

    private RunLock(Path path, FileSystem fs, String token, String takenOverFrom, Duration every) {
        this.path = path;
        this.fs = fs;
        this.token = token;
        this.takenOverFrom = takenOverFrom;
        this.heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ternsweep-lock-heartbeat");
            t.setDaemon(true);
            return t;
        });
        long ms = every.toMillis();
        heartbeat.scheduleAtFixedRate(this::beat, ms, ms, TimeUnit.MILLISECONDS);
    }

    /** Another driver holds the lock: the message says who and what to do. */
    public static final class LockedException extends BadInputException {
        public LockedException(String message) {
            super(message);
        }
    }

    /** Acquires the lock, or throws {@link LockedException} naming the holder. */
    public static RunLock acquire(OutputLayout layout, Configuration conf, boolean force) throws IOException {
        return acquire(layout, conf, force, STALE_AFTER, HEARTBEAT);
    }

    /**
     * Acquires the lock with an explicit stale limit and heartbeat period (tests use short ones).
     *
     * @throws LockedException when a live driver holds it
     * @throws IOException     when the output directory cannot be created or written (the message names it)
     */
    public static RunLock acquire(OutputLayout layout, Configuration conf, boolean force, Duration staleAfter,
                                  Duration heartbeatEvery) throws IOException {
        if (heartbeatEvery.isZero() || heartbeatEvery.isNegative() || staleAfter.compareTo(heartbeatEvery) <= 0) {
            throw new IllegalArgumentException("lock heartbeat " + heartbeatEvery + " must be positive and shorter"
                    + " than the stale limit " + staleAfter);
        }
        Path p = layout.lock();
        FileSystem fs = p.getFileSystem(conf);
        try {
            if (!fs.mkdirs(layout.rootPath())) {
                throw new IOException("mkdirs returned false");
            }
        } catch (IOException e) {
            throw new OutputNotWritableException("cannot create the output directory " + layout.root() + " ("
                    + e.getMessage() + "); choose a writable --out, or fix its permissions", e);
        }
        String token = UUID.randomUUID().toString();
        if (tryCreate(fs, p, token)) {
            return new RunLock(p, fs, token, null, heartbeatEvery);
        }
        String holder = holder(fs, p);
        String why = staleReason(fs, p, holder, staleAfter);
        if (why == null && force) {
            String running = runningHere(holder);
            if (running != null) {
                throw new LockedException("--force-unlock refused: output directory " + layout.root() + " is in use"
                        + " by a ternsweep driver that is running on this host (" + running + "; lock file " + p
                        + "). Wait for it to finish, stop it, or choose another --out.");
            }
            why = "--force-unlock";
        }
        if (why == null) {
            throw new LockedException("output directory " + layout.root() + " is in use by another ternsweep driver ("
                    + holder.trim().replace('\n', ' ') + "; lock file " + p + "). Wait for it to finish, choose another"
                    + " --out, or, if that driver is no longer running, rerun with --force-unlock.");
        }
        Path aside = new Path(p.getParent(), "_lock.taken-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
        if (!fs.rename(p, aside)) {
            throw new LockedException("output directory " + layout.root() + ": the stale lock " + p + " ("
                    + why + ") was taken over by another driver at the same moment; rerun when it has finished");
        }
        String moved = read(fs, aside);
        if (!moved.equals(holder)) {
            // Another driver replaced the stale lock between our read and our rename: give its lock back.
            fs.rename(aside, p);
            throw new LockedException("output directory " + layout.root() + " was just locked by another driver ("
                    + moved.trim().replace('\n', ' ') + "); wait for it to finish or choose another --out");
        }
        fs.delete(aside, false);
        if (!tryCreate(fs, p, token)) {
            throw new LockedException("output directory " + layout.root() + " was locked by another driver while"
                    + " taking over a stale lock (" + holder(fs, p).trim().replace('\n', ' ') + ")");
        }
        String was = holder.trim().replace('\n', ' ') + " (" + why + ")";
        LOG.warn("took over the lock of {} from a driver that is gone: {}", layout.root(), was);
        return new RunLock(p, fs, token, was, heartbeatEvery);
    }

    /** The holder of the lock this one replaced, and why it was stale; null when the lock was free. */
    public String takenOverFrom() {
        return takenOverFrom;
    }

    private static boolean tryCreate(FileSystem fs, Path p, String token) throws IOException {
        byte[] content = describeSelf(token).getBytes(StandardCharsets.UTF_8);
        try {
            if (fs instanceof LocalFileSystem local) {
                java.nio.file.Path file = local.pathToFile(p).toPath();
                Files.write(Files.createFile(file), content);
                FileModes.apply(file, FileModes.PUBLIC_FILE);
            } else {
                try (OutputStream out = fs.create(p, false)) {
                    out.write(content);
                }
            }
            return true;
        } catch (FileAlreadyExistsException | org.apache.hadoop.fs.FileAlreadyExistsException e) {
            return false;
        } catch (IOException e) {
            throw new OutputNotWritableException("cannot write the lock file " + p + " (" + e.getClass().getSimpleName()
                    + ": " + e.getMessage() + "); the output directory must be writable by the driver: choose a"
                    + " writable --out, or fix its permissions", e);
        }
    }

    /** Why the lock described by {@code holder} is stale, or null when its driver may still be running. */
    static String staleReason(FileSystem fs, Path p, String holder, Duration staleAfter) throws IOException {
        Properties props = properties(holder);
        String host = props.getProperty("host");
        String pid = props.getProperty("pid");
        if (host != null && host.equals(hostName()) && pid != null && pid.matches("\\d+")) {
            // On this host the process is the truth: a live holder keeps its lock whatever its heartbeat says.
            Optional<ProcessHandle> process = ProcessHandle.of(Long.parseLong(pid)).filter(ProcessHandle::isAlive);
            if (process.isEmpty()) {
                return "pid " + pid + " is not running on " + host;
            }
            String recorded = props.getProperty("pid_started");
            String actual = startOf(process.get());
            if (recorded != null && actual != null && !recorded.equals(actual)) {
                return "pid " + pid + " on " + host + " now belongs to a process started at " + actual
                        + ", not to the driver started at " + recorded;
            }
            return null;
        }
        long age = System.currentTimeMillis() - fs.getFileStatus(p).getModificationTime();
        if (age > staleAfter.toMillis()) {
            return "no heartbeat for " + age / 1000 + " s, more than " + staleAfter.toSeconds() + " s";
        }
        return null;
    }

    /**
     * The holder's pid and start time when it is a live process on this host (what {@link #staleReason} judged
     * not stale there), or null when the holder is on another host and cannot be checked from here.
     */
    private static String runningHere(String holder) throws IOException {
        Properties props = properties(holder);
        String pid = props.getProperty("pid");
        if (!hostName().equals(props.getProperty("host")) || pid == null || !pid.matches("\\d+")) {
            return null;
        }
        return "pid " + props.getProperty("pid") + ", started " + props.getProperty("pid_started",
                props.getProperty("started", "at an unknown time"));
    }

    private static Properties properties(String text) throws IOException {
        Properties props = new Properties();
        props.load(new StringReader(text));
        return props;
    }

    /** When {@code process} started, to the millisecond, or null when the OS does not say. */
    private static String startOf(ProcessHandle process) {
        return process.info().startInstant().map(i -> i.truncatedTo(ChronoUnit.MILLIS).toString()).orElse(null);
    }

    private static String holder(FileSystem fs, Path p) throws IOException {
        try {
            return read(fs, p);
        } catch (java.io.FileNotFoundException e) {
            return "holder unknown: the lock vanished while reading it";
        }
    }

    private static String read(FileSystem fs, Path p) throws IOException {
        try (FSDataInputStream in = fs.open(p)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown-host(" + e.getMessage() + ")";
        }
    }

    private static String describeSelf(String token) {
        String pidStarted = startOf(ProcessHandle.current());
        return "host=" + hostName() + "\npid=" + ProcessHandle.current().pid()
                + (pidStarted == null ? "" : "\npid_started=" + pidStarted) + "\nstarted=" + Instant.now()
                + "\njvm=" + ManagementFactory.getRuntimeMXBean().getName() + "\ntoken=" + token + "\n";
    }

    private void beat() {
        try {
            fs.setTimes(path, System.currentTimeMillis(), -1);
        } catch (IOException e) {
            LOG.warn("cannot refresh the heartbeat of {} ({}); another driver may take the lock over after {} s",
                    path, e.getMessage(), STALE_AFTER.toSeconds());
        }
    }

    /**
     * Stops the heartbeat and removes the lock file if it is still this lock; a lock another driver took over
     * (with {@code --force-unlock}, or judging this one stale) is left to that driver.
     */
    @Override
    public void close() throws IOException {
        heartbeat.shutdownNow();
        String now;
        try {
            now = read(fs, path);
        } catch (java.io.FileNotFoundException e) {
            LOG.warn("the lock {} was removed by someone else while this driver held it", path);
            return;
        }
        // a takeover between this read and the delete would still lose its lock; the window is one file read
        if (!token.equals(properties(now).getProperty("token"))) {
            LOG.warn("the lock {} was taken over by another driver ({}); leaving it to that driver", path,
                    now.trim().replace('\n', ' '));
            return;
        }
        fs.delete(path, false);
    }
}
