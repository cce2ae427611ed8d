package org.ternsweep.results.render;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.ternsweep.core.FileModes;
import org.ternsweep.results.model.ReportData;

/**
 * Writes every report file of a sweep into one directory: report.md, tables.tex, summary.csv,
 * comparisons.csv, report.ipynb and plots/*.png (see the package documentation). Files are written to a
 * temporary name and moved into place, so a reader never sees half a report file.
 */
public final class ReportWriter {
    private ReportWriter() {
    }

    /**
     * Renders {@code data} into {@code outDir} (created if missing) and returns the paths written.
     *
     * @throws UncheckedIOException naming the file that could not be written
     */
    public static List<Path> writeAll(ReportData data, Path outDir) {
        if (System.getProperty("java.awt.headless") == null) {
            // charts are drawn off-screen; without this a JVM with no display fails in AWT
            System.setProperty("java.awt.headless", "true");
        }
        List<Path> written = new ArrayList<>();
        List<Plots.Figure> figures = Plots.draw(data);
        Path plots = outDir.resolve("plots");
        try {
            FileModes.createPublicDirectories(plots);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the report directory " + plots
                    + "; check that the output directory is writable", e);
        }
        for (Plots.Figure f : figures) {
            written.add(write(plots.resolve(f.fileName()), f.png()));
        }
        written.add(write(outDir.resolve("report.md"), MarkdownReport.render(data)));
        written.add(write(outDir.resolve("tables.tex"), LatexTables.render(data)));
        written.add(write(outDir.resolve("summary.csv"), CsvExport.summary(data.summary())));
        written.add(write(outDir.resolve("comparisons.csv"), CsvExport.comparisons(data.comparisons())));
        written.add(write(outDir.resolve("cells.csv"), CsvExport.cells(data.cells())));
        written.add(write(outDir.resolve("layers.csv"), CsvExport.layers(data.cells())));
        written.add(write(outDir.resolve("report.ipynb"), NotebookWriter.render(data, figures)));
        return written;
    }

    private static Path write(Path file, String text) {
        return write(file, text.getBytes(StandardCharsets.UTF_8));
    }

    private static Path write(Path file, byte[] bytes) {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Files.write(tmp, bytes);
            FileModes.apply(tmp, FileModes.PUBLIC_FILE);
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write report file " + file + ": " + e.getMessage()
                    + "; check free space and permissions of the output directory", e);
        }
    }
}
