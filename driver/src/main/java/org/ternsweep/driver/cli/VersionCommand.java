package org.ternsweep.driver.cli;

import java.util.concurrent.Callable;
import org.ternsweep.driver.spark.ProjectVersion;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ternsweep version}: the project, Spark and Java versions. */
@Command(name = "version", description = "Print the ternsweep, Spark and Java versions.")
public final class VersionCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        for (String line : lines()) {
            spec.commandLine().getOut().println(line);
        }
        return Main.OK;
    }

    static String[] lines() {
        return new String[]{"ternsweep " + ProjectVersion.get(),
                "Spark " + org.apache.spark.package$.MODULE$.SPARK_VERSION() + " (Scala "
                        + scala.util.Properties.versionNumberString() + ")",
                "Java " + System.getProperty("java.runtime.version") + " (" + System.getProperty("java.vm.name") + ")"};
    }

    /** Supplies {@code ternsweep --version}. */
    public static final class Provider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return lines();
        }
    }
}
