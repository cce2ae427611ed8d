package org.ternsweep.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one SHA-256: the FIPS 180-2 test vector through every entry point, and the hex check. */
class Sha256Test {
    private static final String ABC = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

    @TempDir
    Path dir;

    @Test
    void everyEntryPointGivesTheStandardDigest() throws IOException {
        assertEquals(ABC, Sha256.of("abc"));
        assertEquals(ABC, Sha256.of("abc".getBytes(StandardCharsets.UTF_8)));
        assertEquals(ABC, Sha256.of(Files.writeString(dir.resolve("abc.txt"), "abc")));
        java.security.MessageDigest d = Sha256.newDigest();
        d.update("ab".getBytes(StandardCharsets.UTF_8));
        d.update("c".getBytes(StandardCharsets.UTF_8));
        assertEquals(ABC, Sha256.hex(d));
    }

    @Test
    void hexIsSixtyFourLowerCaseDigits() {
        assertTrue(Sha256.isHex(ABC));
        assertFalse(Sha256.isHex(ABC.toUpperCase()));
        assertFalse(Sha256.isHex(ABC.substring(1)));
        assertFalse(Sha256.isHex(null));
    }
}
