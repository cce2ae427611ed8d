package org.ternsweep.driver.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ternsweep.core.BadInputException;

/** The SparkSubmit command line that {@code ternsweep submit} runs. */
class SparkSubmitLauncherTest {
    @TempDir
    Path dir;

    @Test
    void commandRunsSparkSubmitWithTheAppJarAndTheRunArguments() {
        SparkSubmitLauncher l = new SparkSubmitLauncher("/usr/bin/java", "a.jar:b.jar", List.of("-Xmx2g"),
                Path.of("/x/app.jar"));
        Map<String, String> conf = new LinkedHashMap<>();
        conf.put("spark.executor.memory", "2g");
        List<String> cmd = l.command("spark://h:7077", conf, List.of("/s.yaml", "--out", "hdfs://nn/o"));
        assertEquals(List.of("/usr/bin/java", "-Xmx2g", "-cp", "a.jar:b.jar", SparkSubmitLauncher.SPARK_SUBMIT,
                "--master", "spark://h:7077", "--deploy-mode", "client", "--class", SparkSubmitLauncher.MAIN,
                "--conf", "spark.executor.memory=2g", "/x/app.jar", "run", "/s.yaml", "--out", "hdfs://nn/o",
                "--master", "spark://h:7077"), cmd);
    }

    @Test
    void missingAppJarSaysHowToBuildIt() {
        BadInputException e = assertThrows(BadInputException.class,
                () -> SparkSubmitLauncher.forThisJvm(dir.resolve("none.jar")));
        assertTrue(e.getMessage().contains("mvn -B -DskipTests -pl driver -am package"), e.getMessage());
    }

    @Test
    void theDriverJvmGetsALoopbackSparkLocalIpUnlessOneIsSet() {
        assertEquals(Map.of("SPARK_LOCAL_IP", "127.0.0.1"), SparkSubmitLauncher.childEnvironment(Map.of("HOME", "/h")));
        assertEquals(Map.of(), SparkSubmitLauncher.childEnvironment(Map.of("SPARK_LOCAL_IP", "10.0.0.5")));
    }
}
