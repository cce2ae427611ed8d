package org.ternsweep.results.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.ternsweep.results.store.CellFixtures.WRITTEN;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ternsweep.core.CellResult;
import org.ternsweep.core.CellSpec;
import org.ternsweep.results.model.CellRow;

/**
 * The one reader of cell rows: a row reads back as the writer wrote it, and when a cell occurs in more
 * than one row, {@link CellReader#read}, {@link CellReader#statuses} and {@link CellCompactor} keep the
 * same one, the newest (docs/results-schema.md, "Which row of a cell counts"), whatever the file names.
 */
class CellReaderTest {
    @TempDir
    Path dir;

    private final Configuration conf = new Configuration();

    private OutputLayout layout() {
        return new OutputLayout(dir.resolve("out").toString());
    }

    @Test
    void aRowReadsBackAsTheWriterWroteIt() throws IOException {
        CellSpec spec = CellFixtures.spec("native", Map.of(), 1);
        CellFixtures.store(layout(), CellFixtures.ok(spec), WRITTEN, conf);
        List<StoredCell> cells = CellReader.read(layout(), conf);
        assertEquals(1, cells.size());
        CellRow r = cells.get(0).row();
        assertEquals(spec.cellId(), r.cellId());
        assertEquals(CellRow.Status.OK, r.status());
        assertEquals(CellFixtures.accuracyOf(spec.cellId()), r.accuracy(), 0);
        assertEquals(0.91, r.floatAccuracy(), 0);
        assertEquals(0.002, r.quantizeSeconds(), 0);
        assertEquals("{}", r.operatorOptions(), "an operator without options is stored as {}");
        assertEquals("{\"bias_correction\":false,\"cle\":false}", r.methodOptions());
        assertEquals(2, r.layers().size());
        assertTrue(Double.isNaN(r.layers().get(0).fracZero()), "int8 layer: null code fractions read as NaN");
        assertEquals(0.4, r.layers().get(1).fracZero(), 0);
        assertEquals(7.0, r.layers().get(1).sqnrDb(), 0);
        assertEquals("fixture", cells.get(0).provenance().get("executor_note"));
        assertEquals(WRITTEN.toEpochMilli() * 1000, cells.get(0).finishedAtMicros());
        assertEquals(Map.of(spec.cellId(), CellRow.Status.OK), CellReader.statuses(layout(), conf));
        assertEquals(Map.of(spec.cellId(), spec.canonicalJson()), CellReader.specJsons(layout(), conf));
        assertEquals(spec, CellSpec.fromJson(CellReader.specJsons(layout(), conf).get(spec.cellId())));
    }

    @Test
    void aFailedRowHasItsErrorAndNoMetrics() throws IOException {
        CellSpec spec = CellFixtures.spec("mquant", Map.of("level", "mean"), 0);
        CellFixtures.store(layout(), CellFixtures.failed(spec, "boom"), WRITTEN, conf);
        CellRow r = CellReader.read(layout(), conf).get(0).row();
        assertEquals(CellRow.Status.FAILED, r.status());
        assertEquals("boom", r.error());
        assertEquals("java.lang.IllegalStateException", r.errorClass());
        assertTrue(Double.isNaN(r.accuracy()));
        assertEquals(Map.of(spec.cellId(), CellRow.Status.FAILED), CellReader.statuses(layout(), conf));
    }

    @Test
    void noCellsDirectoryMeansNoCells() throws IOException {
        assertEquals(List.of(), CellReader.read(layout(), conf));
        assertEquals(Map.of(), CellReader.statuses(layout(), conf));
        assertEquals(Map.of(), CellReader.specJsons(layout(), conf));
    }

    @Test
    void theLaterFinishedAtWinsWhicheverFileHoldsIt() throws IOException {
        CellSpec spec = CellFixtures.spec("native", Map.of(), 0);
        Instant later = WRITTEN.plusSeconds(1);
        CellParquetWriter.write(CellFixtures.failed(spec, "newer"), later, layout().compacted(1), conf);
        CellFixtures.store(layout(), CellFixtures.ok(spec), WRITTEN, conf);
        assertWinner(spec, CellRow.Status.FAILED, "a compacted row newer than the per-cell file");

        CellFixtures.store(layout(), CellFixtures.ok(spec), later.plusSeconds(1), conf);
        assertWinner(spec, CellRow.Status.OK, "a per-cell file newer than the compacted row");
    }

    /**
     * Equal finished_at: the per-cell file wins over the compacted row, for a cell id that sorts before
     * "compacted-" and for one that sorts after it, and whichever of the two rows is FAILED.
     */
    @Test
    void onATieThePerCellFileWinsWhateverTheNamesAndStatuses() throws IOException {
        for (String first : List.of("0123456789ab", "def")) {
            CellSpec spec = CellFixtures.specWithIdStartingWith(first);
            for (boolean perCellOk : List.of(true, false)) {
                Path out = dir.resolve("tie-" + first.charAt(0) + "-" + perCellOk);
                OutputLayout layout = new OutputLayout(out.toString());
                CellResult ok = CellFixtures.ok(spec);
                CellResult failed = CellFixtures.failed(spec, "the per-cell row");
                CellParquetWriter.write(perCellOk ? failed : ok, WRITTEN, layout.compacted(1), conf);
                CellFixtures.store(layout, perCellOk ? ok : failed, WRITTEN, conf);
                CellRow.Status expected = perCellOk ? CellRow.Status.OK : CellRow.Status.FAILED;
                String what = "cell " + spec.cellId().substring(0, 8) + ", per-cell row " + expected;
                assertEquals(expected, CellReader.read(layout, conf).get(0).row().status(), what);
                assertEquals(Map.of(spec.cellId(), expected), CellReader.statuses(layout, conf), what);
                CellCompactor.compact(layout, conf, 10);
                assertEquals(expected, CellReader.read(layout, conf).get(0).row().status(), "compacted: " + what);
                assertEquals(Map.of(spec.cellId(), spec.canonicalJson()), CellReader.specJsons(layout, conf), what);
            }
        }
    }

    @Test
    void onATieBetweenCompactedFilesTheHigherNumberWins() throws IOException {
        CellSpec spec = CellFixtures.spec("native", Map.of(), 0);
        CellParquetWriter.write(CellFixtures.ok(spec), WRITTEN, layout().compacted(2), conf);
        CellParquetWriter.write(CellFixtures.failed(spec, "in compacted-10"), WRITTEN, layout().compacted(10), conf);
        assertWinner(spec, CellRow.Status.FAILED, "compacted-10 over compacted-2 (by number, not by name)");
    }

    private void assertWinner(CellSpec spec, CellRow.Status expected, String what) throws IOException {
        List<StoredCell> read = CellReader.read(layout(), conf);
        assertEquals(1, read.size(), what);
        assertEquals(expected, read.get(0).row().status(), what);
        assertEquals(Map.of(spec.cellId(), expected), CellReader.statuses(layout(), conf), what);
    }
}
