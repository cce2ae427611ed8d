package org.ternsweep.models;

import java.io.FileOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.ternsweep.core.FileModes;
import org.ternsweep.core.Sha256;

/**
 * All file-system I/O of {@link ModelCache}, on the local file system (java.nio): durable writes
 * (temporary name in the same directory, fsync, atomic rename, directory fsync), reads, hashing,
 * deletion and the per-key lock. Directories it creates are {@code 0700} and files {@code 0600}
 * ({@link FileModes}), whatever the umask. Kept in one small class so that moving the cache to a Hadoop
 * FileSystem touches only this file.
 *
 * <p>Locking is two-level. Between processes, an exclusive {@link FileChannel#lock()} on
 * {@code <key>.lock}. Inside one JVM, a {@link ReentrantLock} per lock file from {@link #JVM_LOCKS}:
 * POSIX file locks belong to the whole process, so two threads cannot both hold one (Java throws
 * {@link OverlappingFileLockException}), and closing <em>any</em> channel to the file would release
 * the JVM's lock. {@code JVM_LOCKS} is therefore JVM-wide static state, deliberately: a lock table
 * keyed by the lock file's absolute path, one small entry per model key ever built in this JVM.
 * Lock files are never deleted (deleting one while another process waits on it would let two
 * builders in).
 */
final class ModelCacheFiles {
    private static final Map<Path, ReentrantLock> JVM_LOCKS = new ConcurrentHashMap<>();
    private static final System.Logger LOG = System.getLogger(ModelCacheFiles.class.getName());

    /** Writes a body to a stream and returns a value (the model builder's metadata). */
    @FunctionalInterface
    interface Writer<T> {
        T write(OutputStream out) throws IOException;
    }

    /** The result of a durable write: the writer's value and the SHA-256 of the bytes written. */
    record Written<T>(T value, String sha256) {
    }

    /** A held per-key lock; {@link #close()} releases both levels. */
    static final class Held implements AutoCloseable {
        private final ReentrantLock jvm;
        private final FileChannel channel;
        private final FileLock lock;

        private Held(ReentrantLock jvm, FileChannel channel, FileLock lock) {
            this.jvm = jvm;
            this.channel = channel;
            this.lock = lock;
        }

        @Override
        public void close() throws IOException {
            try {
                lock.release();
                channel.close();
            } finally {
                jvm.unlock();
            }
        }
    }

    private final Path dir;

    ModelCacheFiles(Path dir) {
        this.dir = dir.toAbsolutePath().normalize();
    }

    Path dir() {
        return dir;
    }

    Path file(String name) {
        return dir.resolve(name);
    }

    boolean exists(Path p) {
        return Files.exists(p);
    }

    byte[] readAll(Path p) throws IOException {
        return Files.readAllBytes(p);
    }

    long size(Path p) throws IOException {
        return Files.size(p);
    }

    void deleteIfExists(Path p) throws IOException {
        Files.deleteIfExists(p);
    }

    /** Deletes leftovers {@code <prefix>*.tmp} of a builder that died (call only under the key's lock). */
    void deleteTemps(String prefix) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, glob(prefix) + "*.tmp")) {
            for (Path p : ds) {
                LOG.log(System.Logger.Level.INFO, "model cache: deleting leftover temporary file {0}", p);
                Files.deleteIfExists(p);
            }
        }
    }

    private static String glob(String literal) {
        return literal.replaceAll("([*?\\[\\]{}\\\\])", "\\\\$1");
    }

    /**
     * Writes {@code writer}'s bytes to a new temporary file {@code <prefix>*.tmp} in the cache
     * directory and syncs it to disk. The writer may close the stream it is given; that is ignored.
     */
    <T> Map.Entry<Path, Written<T>> writeTemp(String prefix, Writer<T> writer) throws IOException {
        FileModes.createPrivateDirectories(dir);
        Path tmp = Files.createTempFile(dir, prefix, ".tmp");
        FileModes.apply(tmp, FileModes.PRIVATE_FILE);
        boolean done = false;
        try {
            MessageDigest digest = Sha256.newDigest();
            T value;
            try (FileOutputStream fos = new FileOutputStream(tmp.toFile());
                 DigestOutputStream out = new DigestOutputStream(fos, digest)) {
                value = writer.write(new FilterOutputStream(out) {
                    @Override
                    public void write(byte[] b, int off, int len) throws IOException {
                        out.write(b, off, len);
                    }

                    @Override
                    public void close() throws IOException {
                        out.flush();
                    }
                });
                out.flush();
                fos.getFD().sync();
            }
            done = true;
            return Map.entry(tmp, new Written<>(value, Sha256.hex(digest)));
        } finally {
            if (!done) {
                Files.deleteIfExists(tmp);
            }
        }
    }

    /** Renames {@code tmp} to {@code target} atomically, replacing any old file, then syncs the directory. */
    void publish(Path tmp, Path target) throws IOException {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        syncDir();
    }

    private void syncDir() throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Some platforms cannot open or sync a directory; the rename is still atomic there, only
            // its durability across a power cut is weaker. Say so instead of failing the build.
            LOG.log(System.Logger.Level.DEBUG, "model cache: cannot sync directory " + dir + ": " + e);
        }
    }

    /** Takes the exclusive lock of {@code name} (in this JVM and across processes), waiting as long as needed. */
    Held lock(String name) throws IOException {
        FileModes.createPrivateDirectories(dir);
        Path lockFile = dir.resolve(name);
        ReentrantLock jvm = JVM_LOCKS.computeIfAbsent(lockFile, p -> new ReentrantLock());
        if (jvm.isHeldByCurrentThread()) {
            throw new IllegalStateException(lockFile + " is already held by this thread: a model builder must not"
                    + " ask the cache for the model it is building");
        }
        jvm.lock();
        try {
            // only a lock file this call creates gets its bits set: an existing one may belong to another user
            boolean creating = !Files.exists(lockFile);
            FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            try {
                if (creating) {
                    FileModes.apply(lockFile, FileModes.PRIVATE_FILE);
                }
                return new Held(jvm, ch, ch.lock());
            } catch (IOException | RuntimeException e) {
                ch.close();
                throw e;
            }
        } catch (IOException | RuntimeException e) {
            jvm.unlock();
            throw e;
        }
    }
}
