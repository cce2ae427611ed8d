package org.ternsweep.driver.sweep;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.ternsweep.core.CellSpec;
import org.ternsweep.results.SweepReport;
import org.ternsweep.results.store.OutputLayout;

/** The sweep an output directory was run with, read back from its {@code sweep.yaml} for the report. */
public final class StoredSweep {
    private StoredSweep() {
    }

    /**
     * Parses {@code <out>/sweep.yaml} and expands its grid.
     *
     * @throws IOException when sweep.yaml is missing or cannot be read
     */
    public static SweepReport.SweepGrid read(OutputLayout layout, Configuration conf) throws IOException {
        FileSystem fs = layout.rootPath().getFileSystem(conf);
        if (!fs.exists(layout.sweepYaml())) {
            throw new IOException(layout.sweepYaml() + " is missing, so " + layout.root() + " is not a ternsweep output"
                    + " directory (or was copied without it); copy the whole directory that `ternsweep run` wrote");
        }
        String yaml;
        try (InputStream in = fs.open(layout.sweepYaml())) {
            yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Sweep sweep = SweepParser.parse(layout.sweepYaml().toString(), yaml, List.of());
        Set<String> grid = new HashSet<>();
        for (CellSpec c : Grid.expand(sweep)) {
            grid.add(c.cellId());
        }
        return new SweepReport.SweepGrid(sweep.name(), yaml, sweep.reference(), grid, sweep.adaptive());
    }
}
