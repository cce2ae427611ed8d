package org.ternsweep.driver.spark;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The project version, from a resource that Maven fills in at build time. */
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
}
