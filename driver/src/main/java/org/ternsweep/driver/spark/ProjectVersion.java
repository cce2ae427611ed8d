package org.ternsweep.driver.spark;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The project version, from a resource that Maven fills in at build time, and the git commit the
 * driver was launched from (provenance, CONVENTIONS.md "Provenance in two halves").
 */
public final class ProjectVersion {
    private ProjectVersion() {
    }

    /** E.g. "0.1.0-SNAPSHOT". */
    public static String get() {
        try (InputStream in = ProjectVersion.class.getResourceAsStream("/ternsweep-driver.properties")) {
            if (in == null) {
                throw new IllegalStateException("resource ternsweep-driver.properties is missing from the driver jar;"
                        + " rebuild it with Maven");
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read ternsweep-driver.properties from the driver jar", e);
        }
    }

    /** System property through which {@code bin/ternsweep} passes {@code git rev-parse HEAD} (+ "-dirty"). */
    public static final String GIT_COMMIT_PROPERTY = "ternsweep.git.commit";

    /**
     * The commit of the checkout the driver was launched from, as the launcher found it; "unknown" when
     * launched otherwise (e.g. the app jar under spark-submit, or not from a git checkout). Read on the
     * driver only; executors get it inside the task.
     */
    public static String gitCommit() {
        String c = System.getProperty(GIT_COMMIT_PROPERTY);
        return c == null || c.isBlank() ? "unknown" : c.trim();
    }
}
