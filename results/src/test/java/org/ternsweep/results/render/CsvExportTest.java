package org.ternsweep.results.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.Type;
import org.junit.jupiter.api.Test;
import org.ternsweep.results.store.CellSchema;
import org.ternsweep.results.model.FlatRows;
import org.ternsweep.results.model.ReportData;

class CsvExportTest {

    @Test
    void quotesFieldsAndLeavesNaNEmpty() {
        assertEquals("\"{\"\"level\"\":\"\"mean\"\",\"\"symmetric\"\":true}\"",
                CsvExport.field("{\"level\":\"mean\",\"symmetric\":true}"));
        assertEquals("", CsvExport.field(Double.NaN));
        assertEquals("", CsvExport.field(null));
        assertEquals("0.4307", CsvExport.field(0.4307));
    }

    @Test
    void oneLinePerRowUnderTheFlatColumns() {
        ReportData data = SyntheticReport.build("mquant", "adaround");
        String[] summary = CsvExport.summary(data.summary()).split("\r\n");
        assertEquals(String.join(",", FlatRows.summaryColumns()), summary[0]);
        assertEquals(data.summary().size() + 1, summary.length);
        String[] comparisons = CsvExport.comparisons(data.comparisons()).split("\r\n");
        assertEquals(data.comparisons().size() + 1, comparisons.length);
        assertTrue(comparisons[3].startsWith("vs_reference,cnn-small,fashion-mnist,adaround,"), comparisons[3]);
        // one pair: t p-value NaN → empty, seeds_needed null → empty
        assertTrue(comparisons[3].contains(",,"), comparisons[3]);
    }

    @Test
    void layersCsvCarriesEveryLayerFieldOfTheCellParquet() {
        GroupType element = CellSchema.SCHEMA.getType("layers").asGroupType().getType(0).asGroupType()
                .getType(0).asGroupType();
        List<String> parquet = element.getFields().stream().map(Type::getName).toList();
        // every stored layer field except the weight count, which the notebook takes from the Parquet only
        List<String> missing = parquet.stream().filter(f -> !f.equals("weights"))
                .filter(f -> !CsvExport.LAYER_COLUMNS.contains(f)).toList();
        assertEquals(List.of(), missing, "layer fields in cells/*.parquet but not in layers.csv");
    }
}
