package org.ternsweep.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileModesTest {
    @TempDir
    Path dir;

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void everyCreatedDirectoryGetsExactlyTheModeAndExistingOnesKeepTheirs() throws Exception {
        assumeTrue(Files.getFileStore(dir).supportsFileAttributeView("posix"), "no POSIX permissions here");
        Path open = Files.createDirectory(dir.resolve("open"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
        FileModes.createPrivateDirectories(open.resolve("a/b"));
        assertEquals("rwx------", mode(open.resolve("a")));
        assertEquals("rwx------", mode(open.resolve("a/b")));
        assertEquals("rwxrwxrwx", mode(open), "an existing parent is not changed");
        FileModes.createPublicDirectories(open.resolve("c/d"));
        assertEquals("rwxr-xr-x", mode(open.resolve("c")));
        assertEquals("rwxr-xr-x", mode(open.resolve("c/d")));
        FileModes.createPublicDirectories(open.resolve("c/d")); // exists: nothing to do
        Path f = Files.writeString(open.resolve("f"), "x");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-rw-rw-"));
        FileModes.apply(f, FileModes.PRIVATE_FILE);
        assertEquals("rw-------", mode(f));
        FileModes.apply(f, FileModes.PUBLIC_FILE);
        assertEquals("rw-r--r--", mode(f));
    }
}
