package org.ternsweep.core;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;

/**
 * The permission rule for what ternsweep creates, independent of the process's umask: the cache
 * (datasets, float models) is private to its owner, directories {@code 0700} and files {@code 0600},
 * because whoever can write it decides what every later run trains on or loads; outputs (runs, reports)
 * are readable by all and writable by the owner, directories {@code 0755} and files {@code 0644}.
 *
 * <p>Java creates files and directories with the umask applied, so a umask of {@code 000} would make
 * them world-writable. The helpers here set the bits explicitly after creating, on file systems with
 * POSIX permissions; elsewhere (e.g. FAT, Windows) they create and leave the platform's defaults.
 * Directories that already exist keep their bits: only what ternsweep creates follows the rule.
 */
public final class FileModes {
    /** Cache directories: owner only. */
    public static final Set<PosixFilePermission> PRIVATE_DIR = PosixFilePermissions.fromString("rwx------");
    /** Cache files: owner read/write only. */
    public static final Set<PosixFilePermission> PRIVATE_FILE = PosixFilePermissions.fromString("rw-------");
    /** Output directories: owner writes, everyone reads. */
    public static final Set<PosixFilePermission> PUBLIC_DIR = PosixFilePermissions.fromString("rwxr-xr-x");
    /** Output files: owner writes, everyone reads. */
    public static final Set<PosixFilePermission> PUBLIC_FILE = PosixFilePermissions.fromString("rw-r--r--");

    private FileModes() {
    }

    /** Creates {@code dir} and its missing parents as cache directories ({@link #PRIVATE_DIR}). */
    public static Path createPrivateDirectories(Path dir) throws IOException {
        return createDirectories(dir, PRIVATE_DIR);
    }

    /** Creates {@code dir} and its missing parents as output directories ({@link #PUBLIC_DIR}). */
    public static Path createPublicDirectories(Path dir) throws IOException {
        return createDirectories(dir, PUBLIC_DIR);
    }

    /**
     * Creates {@code dir} and every missing parent, giving each directory it creates exactly
     * {@code mode}; existing directories are left as they are.
     */
    public static Path createDirectories(Path dir, Set<PosixFilePermission> mode) throws IOException {
        Path abs = dir.toAbsolutePath();
        Deque<Path> missing = new ArrayDeque<>();
        for (Path p = abs; p != null && !Files.isDirectory(p); p = p.getParent()) {
            missing.push(p);
        }
        while (!missing.isEmpty()) {
            Path p = missing.pop();
            try {
                Files.createDirectory(p);
                apply(p, mode);
            } catch (FileAlreadyExistsException e) {
                // another process created it meanwhile (then it set the bits), or a file is in the way
                if (!Files.isDirectory(p)) {
                    throw e;
                }
            }
        }
        return dir;
    }

    /** Sets {@code path}'s bits to exactly {@code mode} where the file system has POSIX permissions. */
    public static void apply(Path path, Set<PosixFilePermission> mode) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class);
        if (view != null) {
            view.setPermissions(mode);
        }
    }
}
