package org.ternsweep.driver.cli;

import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import org.ternsweep.catalog.Catalog;
import org.ternsweep.catalog.ComponentSpec;
import org.ternsweep.catalog.OptionSpec;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ternsweep list}: every operator, method, model and dataset with options, types, defaults, allowed values. */
@Command(name = "list", description = "List operators, methods, models, datasets and their options (from the catalog).")
public final class ListCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        section(out, "operators", Catalog.operators());
        section(out, "methods", Catalog.methods());
        section(out, "models", Catalog.models());
        section(out, "datasets", Catalog.datasets());
        out.println("granularities: " + String.join(", ", Catalog.GRANULARITIES));
        out.println("first_last: " + String.join(", ", Catalog.FIRST_LAST));
        out.println();
        out.println("sweep-level settings:");
        component(out, Catalog.RECIPE);
        component(out, Catalog.EVALUATION);
        return Main.OK;
    }

    private static void section(PrintWriter out, String title, Map<String, ComponentSpec<?>> specs) {
        out.println(title + ":");
        specs.values().forEach(s -> component(out, s));
        out.println();
    }

    private static void component(PrintWriter out, ComponentSpec<?> s) {
        out.println("  " + s.name() + " — " + s.help());
        for (OptionSpec o : s.options()) {
            out.println("      " + o.name() + " (" + o.type().name().toLowerCase(java.util.Locale.ROOT) + ", default "
                    + o.defaultValue() + ", " + o.describeAllowed() + "): " + o.help());
        }
        if (!s.presets().isEmpty()) {
            out.println("      preset (default " + s.defaultPreset() + "): " + s.presets());
        }
    }
}
