package org.ternsweep.results.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.ternsweep.results.store.CellFixtures.WRITTEN;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ternsweep.core.CellSpec;
import org.ternsweep.results.model.CellRow;

/**
 * {@link CellCompactor} on a local directory: compaction keeps every cell readable with the same row,
 * rows left twice by an interrupted compaction are read once and reconciled, and a row superseded by a
 * newer per-cell file leaves the compacted files.
 */
class CellCompactorTest {
    @TempDir
    Path dir;

    private final Configuration conf = new Configuration();

    private OutputLayout layout() {
        return new OutputLayout(dir.resolve("out").toString());
    }

    private List<String> cellFileNames() throws IOException {
        try (Stream<Path> files = Files.list(dir.resolve("out/cells"))) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".parquet") && !n.startsWith("_") && !n.startsWith(".")).sorted().toList();
        }
    }

    @Test
    void compactionKeepsEveryRowAndASecondOneHasNothingToDo() throws IOException {
        for (CellSpec s : CellFixtures.grid(2)) {
            CellFixtures.store(layout(), CellFixtures.ok(s), WRITTEN, conf);
        }
        List<StoredCell> before = CellReader.read(layout(), conf);
        CellCompactor.Result r = CellCompactor.compact(layout(), conf, 4);
        assertEquals(new CellCompactor.Result(6, 6, 6, r.written()), r);
        assertEquals(List.of("compacted-1.parquet", "compacted-2.parquet"), cellFileNames());
        assertEquals(before.stream().map(StoredCell::row).toList(),
                CellReader.read(layout(), conf).stream().map(StoredCell::row).toList());
        assertEquals(before.stream().map(StoredCell::provenance).toList(),
                CellReader.read(layout(), conf).stream().map(StoredCell::provenance).toList());
        assertEquals(List.of(), CellCompactor.compact(layout(), conf, 4).written(), "already compact");
    }

    @Test
    void duplicateRowsLeftByAnInterruptedCompactionAreReadOnceAndReconciled() throws IOException {
        CellSpec spec = CellFixtures.spec("native", Map.of(), 0);
        CellSpec other = CellFixtures.spec("native", Map.of(), 1);
        CellFixtures.store(layout(), CellFixtures.failed(spec, "old"), WRITTEN, conf);
        CellFixtures.store(layout(), CellFixtures.ok(other), WRITTEN, conf);
        CellCompactor.compact(layout(), conf, 100);
        // the rerun of the FAILED cell: a newer per-cell file next to the compacted row
        CellFixtures.store(layout(), CellFixtures.ok(spec), WRITTEN.plusSeconds(86400), conf);

        assertEquals(CellRow.Status.OK, CellReader.statuses(layout(), conf).get(spec.cellId()));
        List<StoredCell> read = CellReader.read(layout(), conf);
        assertEquals(2, read.size());
        assertTrue(read.stream().allMatch(c -> c.row().status() == CellRow.Status.OK));

        assertEquals(1, CellCompactor.reconcile(layout(), conf));
        assertEquals(0, CellCompactor.reconcile(layout(), conf), "a second reconcile finds nothing");
        assertEquals(List.of("compacted-2.parquet", spec.cellId() + ".parquet").stream().sorted().toList(),
                cellFileNames(), "compacted-1 rewritten without the superseded row");
        assertEquals(read.stream().map(StoredCell::row).toList(),
                CellReader.read(layout(), conf).stream().map(StoredCell::row).toList());
    }

    @Test
    void reconcileWithoutCompactedFilesDoesNothing() throws IOException {
        CellFixtures.store(layout(), CellFixtures.ok(CellFixtures.spec("native", Map.of(), 0)), WRITTEN, conf);
        assertEquals(0, CellCompactor.reconcile(layout(), conf));
    }
}
