package org.ternsweep.driver.store;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.time.Instant;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;

/**
 * {@code <out>/_lock}: held while a driver runs on an output directory, so two drivers never write
 * the same cells or summary. Created atomically (O_EXCL on a local disk, create-without-overwrite on
 * HDFS) with the holder's host, pid and start time; removed by {@link #close()}. A second driver
 * refuses with {@link LockedException}; {@code --force-unlock} takes a lock over (for a driver that
 * died without removing it — stale-lock detection is not automatic).
 */
public final class RunLock implements AutoCloseable {
    private final Path path;
    private final FileSystem fs;

    private RunLock(Path path, FileSystem fs) {
        this.path = path;
        this.fs = fs;
    }

    /** Another driver holds the lock: the message says who and what to do. */
    public static final class LockedException extends IOException {
        public LockedException(String message) {
            super(message);
        }
    }

    /** Acquires the lock, or throws {@link LockedException} naming the holder. */
    public static RunLock acquire(OutputLayout layout, Configuration conf, boolean force) throws IOException {
        Path p = layout.lock();
        FileSystem fs = p.getFileSystem(conf);
        fs.mkdirs(layout.rootPath());
        if (force && fs.exists(p)) {
            fs.delete(p, false);
        }
        byte[] content = describeSelf().getBytes(StandardCharsets.UTF_8);
        try {
            if (fs instanceof LocalFileSystem local) {
                java.nio.file.Path file = local.pathToFile(p).toPath();
                Files.write(Files.createFile(file), content);
            } else {
                try (OutputStream out = fs.create(p, false)) {
                    out.write(content);
                }
            }
        } catch (FileAlreadyExistsException | org.apache.hadoop.fs.FileAlreadyExistsException e) {
            throw new LockedException("output directory " + layout.root() + " is in use by another ternsweep driver ("
                    + holder(fs, p) + "; lock file " + p + "). Wait for it to finish, choose another --out, or, if"
                    + " that driver is no longer running, rerun with --force-unlock.");
        }
        return new RunLock(p, fs);
    }

    private static String holder(FileSystem fs, Path p) throws IOException {
        try (FSDataInputStream in = fs.open(p)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).trim().replace('\n', ' ');
        }
    }

    private static String describeSelf() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "unknown-host(" + e.getMessage() + ")";
        }
        return "host=" + host + "\npid=" + ProcessHandle.current().pid() + "\nstarted=" + Instant.now()
                + "\njvm=" + ManagementFactory.getRuntimeMXBean().getName() + "\n";
    }

    /** Removes the lock file. */
    @Override
    public void close() throws IOException {
        fs.delete(path, false);
    }
}
