package org.ternsweep.results;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.ternsweep.results.model.CellRow;
import org.ternsweep.results.model.ComparisonRow;
import org.ternsweep.results.model.FlatRows;
import org.ternsweep.results.model.GroupKey;
import org.ternsweep.results.model.OperatorKey;
import org.ternsweep.results.model.ReportData;
import org.ternsweep.results.model.SummaryRow;
import org.ternsweep.results.render.ReportWriter;
import org.ternsweep.results.stats.AdaptiveSeeds;
import org.ternsweep.results.stats.Statistics;
import org.ternsweep.results.store.CellReader;
import org.ternsweep.results.store.FlatParquet;
import org.ternsweep.results.store.OutputLayout;
import org.ternsweep.results.store.StoredCell;

/**
 * Builds every result of an output directory from its files alone: given the sweep's name, reference and
 * grid (which the driver reads from {@code sweep.yaml}), reads {@code cells/}, keeps the cells of the grid,
 * runs the one summary and comparison computation ({@link Statistics}), writes {@code summary.parquet} and
 * {@code comparisons.parquet} with {@link FlatRows}' columns, and renders report.md, tables.tex, the CSVs,
 * report.ipynb and plots/ next to them (the notebook reads the Parquet files by relative path).
 * {@code ternsweep run} ends with this and {@code ternsweep report} runs only this, so both give the same
 * files for the same directory. An unreadable cell file is left out and listed in the result, so that a report
 * of the readable cells is still written.
 */
public final class SweepReport {
    private static final GroupKey SAMPLE_GROUP = new GroupKey("m", "d", "x", "{}", "g", "f");

    /** A row with every value non-null, so that each column's type can be read off it. */
    private static final SummaryRow SAMPLE_SUMMARY = new SummaryRow(SAMPLE_GROUP, new OperatorKey("o", "{}"), 2, 0,
            0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, new SummaryRow.Spread(0, 0, 1, 0, 0, 0, 0, "0-1", "met"));

    private static final ComparisonRow SAMPLE_COMPARISON = new ComparisonRow(ComparisonRow.Kind.VS_REFERENCE,
            SAMPLE_GROUP, new OperatorKey("a", "{}"), new OperatorKey("b", "{}"), 2, 0, 0, 0, 0, 0, 0, 0, true, 0, 0, 0,
            2, false, "",
            new ComparisonRow.Effect(0, 0, 0, 0, 0, 0, true));

    private SweepReport() {
    }

    /**
     * What was built.
     *
     * @param data     everything the report was rendered from
     * @param rendered the report files written; empty when the output directory is not on the local file
     *                 system (the Parquet files are still written; render them with {@code ternsweep report}
     *                 on a local copy)
     * @param skipped  the unreadable cell files left out (their cells are missing from the report)
     */
    public record Result(ReportData data, List<java.nio.file.Path> rendered, List<CellReader.Unreadable> skipped) {
        public Result {
            rendered = List.copyOf(rendered);
            skipped = List.copyOf(skipped);
        }

        /** The FAILED cells of the grid, in operator, method, seed order. */
        public List<CellRow> failed() {
            return data.cells().stream().filter(c -> !c.ok())
                    .sorted(java.util.Comparator.comparing(CellRow::operator).thenComparing(CellRow::method)
                            .thenComparingLong(CellRow::seed))
                    .toList();
        }
    }

    /**
     * The sweep an output directory holds, as the report needs it (the driver parses {@code sweep.yaml}).
     *
     * @param name      the sweep's name
     * @param yaml      the text of {@code sweep.yaml}, quoted in the report
     * @param reference the sweep's {@code reference:} operator
     * @param cellIds   the cells of the sweep's grid; stored cells outside it are left out (with adaptive seeds,
     *                  every cell a group may run: seeds 0 to max − 1)
     * @param adaptive  the sweep's adaptive seed rule, or null for a fixed seed axis
     */
    public record SweepGrid(String name, String yaml, String reference, Set<String> cellIds,
                            AdaptiveSeeds.Policy adaptive) {
        public SweepGrid {
            cellIds = Set.copyOf(cellIds);
        }

        /** A sweep with a fixed seed axis. */
        public SweepGrid(String name, String yaml, String reference, Set<String> cellIds) {
            this(name, yaml, reference, cellIds, null);
        }
    }

    /**
     * Builds and writes everything for {@code layout}.
     *
     * @param reference the operator to compare against ("name" or "name options"); null for the sweep's
     *                  {@code reference:} key
     * @throws IOException              when a file cannot be read or written
     * @throws org.ternsweep.core.BadInputException when the reference is ambiguous or the cells contradict each other
     */
    public static Result build(OutputLayout layout, Configuration conf, SweepGrid sweep, String reference)
            throws IOException {
        FileSystem fs = layout.rootPath().getFileSystem(conf);
        String yaml = sweep.yaml();
        Set<String> grid = sweep.cellIds();
        List<CellReader.Unreadable> skipped = new ArrayList<>();
        List<StoredCell> stored = CellReader.read(layout, conf, skipped::add).stream()
                .filter(c -> grid.contains(c.row().cellId())).toList();
        List<CellRow> cells = stored.stream().map(StoredCell::row).toList();
        String ref = reference != null ? reference : sweep.reference();
        List<SummaryRow> summary = Statistics.summarize(cells);
        List<ComparisonRow> comparisons = Statistics.compare(cells, ref);
        if (sweep.adaptive() != null) {
            Statistics.Adaptive adaptive = Statistics.adaptive(sweep.adaptive(), cells, ref, summary, comparisons);
            summary = adaptive.summary();
            comparisons = adaptive.comparisons();
        }
        ReportData data = new ReportData(sweep.name(), yaml, ProvenanceFacts.of(stored, yaml), ref, cells, summary,
                comparisons);
        writeParquet(layout, conf, summary, comparisons);
        List<java.nio.file.Path> rendered = new ArrayList<>();
        if (fs instanceof LocalFileSystem local) {
            rendered.addAll(ReportWriter.writeAll(data, local.pathToFile(layout.rootPath()).toPath()));
        }
        return new Result(data, rendered, skipped);
    }

    /** Writes summary.parquet and comparisons.parquet (single files) from the statistics' rows. */
    static void writeParquet(OutputLayout layout, Configuration conf, List<SummaryRow> summary,
                             List<ComparisonRow> comparisons) throws IOException {
        FlatParquet.write(FlatParquet.schema("summary", FlatRows.summary(SAMPLE_SUMMARY)),
                summary.stream().map(FlatRows::summary).toList(), layout.summary(), conf);
        FlatParquet.write(FlatParquet.schema("comparisons", FlatRows.comparison(SAMPLE_COMPARISON)),
                comparisons.stream().map(FlatRows::comparison).toList(), layout.comparisons(), conf);
    }
}
