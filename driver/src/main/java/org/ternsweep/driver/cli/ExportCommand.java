package org.ternsweep.driver.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.ternsweep.core.BadInputException;
import org.ternsweep.core.CellSpec;
import org.ternsweep.driver.spark.ProjectVersion;
import org.ternsweep.engine.Network;
import org.ternsweep.models.onnx.OnnxExporter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code ternsweep export <out-dir> <cell-id> --to FILE.onnx}: reproduces the cell as {@code reproduce} does and
 * writes its quantized network as a plain ONNX file ({@link OnnxExporter}): BN folded, each weight the float the
 * engine computed with (ternary layers λ·c, int8 layers dequantized), opset 13, the cell's id and spec in the
 * model's metadata. A cell whose recomputed accuracy is not bitwise the stored one is not exported unless
 * {@code --force}: the file would not be the network the stored figures describe.
 */
@Command(name = "export", description = "Recompute one stored cell and write its quantized network as an ONNX file"
        + " (opset 13; input [N, C, H, W] pixels in [0, 1], output logits).")
public final class ExportCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    StoredCellRun cell;

    @CommandLine.Option(names = "--to", paramLabel = "FILE.onnx", required = true, description = "the file to write")
    Path to;

    @CommandLine.Option(names = "--force",
            description = "export even when the recomputed accuracy differs from the stored one")
    boolean force;

    @Override
    public Integer call() throws IOException {
        // checked before the cell is recomputed, which can take minutes
        Path dir = to.toAbsolutePath().getParent();
        if (Files.isDirectory(to) || dir == null || !Files.isDirectory(dir) || !Files.isWritable(dir)) {
            throw new BadInputException("--to " + to + ": " + (Files.isDirectory(to) ? "is a directory"
                    : dir == null || !Files.isDirectory(dir) ? "its directory " + dir + " does not exist"
                    : "its directory " + dir + " is not writable") + "; give a file path in a writable directory");
        }
        PrintWriter console = spec.commandLine().getOut();
        StoredCellRun.Outcome o = cell.run(console);
        if (!o.equal() && !force) {
            console.println("not exported: the recomputed network is not the one the stored accuracy was measured on"
                    + " (give --force to export it anyway)");
            console.flush();
            return Main.FAILED;
        }
        CellSpec s = o.spec();
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("ternsweep.cell_id", s.cellId());
        meta.put("ternsweep.spec_json", s.canonicalJson());
        meta.put("ternsweep.model", s.model());
        meta.put("ternsweep.dataset", s.dataset());
        meta.put("ternsweep.operator", s.operator());
        meta.put("ternsweep.granularity", s.granularity());
        meta.put("ternsweep.first_last", s.firstLast());
        meta.put("ternsweep.method", s.method());
        meta.put("ternsweep.accuracy", Double.toString(o.recomputed().result().accuracy()));
        meta.put("ternsweep.input", "NCHW float pixels scaled to [0, 1]; any normalisation is inside the graph");
        // the network the accuracy was measured on: the evaluator folds any BatchNorm left before it runs
        Network net = o.recomputed().network();
        byte[] model = OnnxExporter.export(net.hasBatchNorm() ? net.foldBatchNorm() : net,
                o.recomputed().imageShape(), ProjectVersion.get(), meta);
        write(model);
        console.println("wrote " + to + " (" + model.length + " bytes, opset " + OnnxExporter.OPSET + ")"
                + (o.equal() ? "" : "; --force: its accuracy differs from the stored cell's"));
        console.flush();
        return o.equal() ? Main.OK : Main.FAILED;
    }

    /** Writes beside the target and moves into place, so that a failed write never leaves half a model there. */
    private void write(byte[] model) {
        Path abs = to.toAbsolutePath();
        Path tmp = abs.resolveSibling("." + abs.getFileName() + ".tmp");
        try {
            Files.write(tmp, model);
            Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AccessDeniedException e) {
            throw new BadInputException("--to " + to + ": permission denied (" + e.getFile() + "); give a file path in"
                    + " a writable directory");
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the message below names the real failure
            }
            throw new BadInputException("--to " + to + ": cannot write it (" + e + "); give a file path in a writable"
                    + " directory");
        }
    }
}
