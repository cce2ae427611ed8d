package org.ternsweep.driver.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ternsweep.core.BadInputException;

class StandaloneSettingsTest {
    private static final Predicate<String> HERE = Set.of("127.0.0.1", "localhost", "head")::contains;

    @TempDir
    Path dir;

    @Test
    void aMasterOnThisMachineGetsTheDriversClasspathForItsExecutors() {
        assertEquals(Map.of("spark.executor.extraClassPath", "/a.jar:/b"),
                StandaloneSettings.classpath("spark://127.0.0.1:7077", Map.of(), Map.of(), "/a.jar:/b", HERE));
        assertEquals(Map.of("spark.executor.extraClassPath", "/a.jar"),
                StandaloneSettings.classpath("spark://head:7077,localhost:7078", Map.of(), Map.of(), "/a.jar", HERE));
    }

    @Test
    void whatTheUserOrSparkSubmitSetIsLeftAlone() {
        assertEquals(Map.of(), StandaloneSettings.classpath("spark://127.0.0.1:7077",
                Map.of("spark.executor.extraClassPath", "/x"), Map.of(), "/a.jar", HERE));
        assertEquals(Map.of(), StandaloneSettings.classpath("spark://elsewhere:7077",
                Map.of("spark.jars", "/app.jar"), Map.of(), "/a.jar", HERE));
        assertEquals(Map.of(), StandaloneSettings.classpath("spark://elsewhere:7077", Map.of(),
                Map.of("spark.jars", "/app.jar"), "/a.jar", HERE), "spark-submit's spark.jars ships the app jar");
        assertEquals(Map.of(), StandaloneSettings.classpath("local[2]", Map.of(), Map.of(), "/a.jar", HERE));
        assertEquals(Map.of(), StandaloneSettings.classpath("yarn", Map.of(), Map.of(), "/a.jar", HERE));
    }

    @Test
    void aMasterElsewhereIsRefusedAtOnceWithWhatToDo() {
        BadInputException e = assertThrows(BadInputException.class, () -> StandaloneSettings.classpath(
                "spark://head:7077,other:7077", Map.of(), Map.of(), "/a.jar", HERE));
        assertTrue(e.getMessage().contains("runs on other, not on this machine"), e.getMessage());
        assertTrue(e.getMessage().contains("ternsweep submit --master spark://head:7077,other:7077"), e.getMessage());
        assertTrue(e.getMessage().contains("spark.jars="), e.getMessage());
    }

    @Test
    void loopbackIsThisMachine() {
        assertTrue(StandaloneSettings.isThisMachine("127.0.0.1"));
        assertTrue(StandaloneSettings.isThisMachine("localhost"));
    }

    @Test
    void theSecretIsReadFromAPrivateFile() throws Exception {
        Path f = dir.resolve("secret");
        Files.writeString(f, "  s3cr3t\n");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        assertEquals(Map.of("spark.authenticate", "true", "spark.authenticate.secret", "s3cr3t"),
                StandaloneSettings.secret(f));

        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
        BadInputException shared = assertThrows(BadInputException.class, () -> StandaloneSettings.secret(f));
        assertTrue(shared.getMessage().contains("chmod 600 " + f), shared.getMessage());

        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        Files.writeString(f, " \n");
        assertTrue(assertThrows(BadInputException.class, () -> StandaloneSettings.secret(f)).getMessage()
                .contains("is empty"));
        BadInputException missing = assertThrows(BadInputException.class,
                () -> StandaloneSettings.secret(dir.resolve("nope")));
        assertTrue(missing.getMessage().contains("cannot read the Spark secret file " + dir.resolve("nope")),
                missing.getMessage());
    }
}
