package org.ternsweep.results.render;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;
import org.ternsweep.results.model.GroupKey;
import org.ternsweep.results.model.ReportData;
import org.ternsweep.results.model.SummaryRow;

/**
 * report.ipynb (nbformat 4.5): a header with the sweep and its provenance, the resolved sweep file, the
 * Markdown tables, and for each figure a Python cell that redraws it from the Parquet files with pandas
 * and matplotlib. Every code cell's output is pre-filled (the PNG drawn by {@link Plots}, or the text the
 * code prints), so the notebook reads well on GitHub or in nbviewer without a kernel.
 *
 * <p>The Python code reads {@code cells/}, {@code summary.parquet} and {@code comparisons.parquet} next to
 * the notebook where pandas can read Parquet (pyarrow), and their CSV twins ({@code cells.csv},
 * {@code layers.csv}, {@code summary.csv}, {@code comparisons.csv}, {@link CsvExport}) otherwise, e.g. with
 * Debian's python3-pandas, which has no pyarrow; both give the columns of
 * {@link org.ternsweep.results.model.FlatRows}, the cell columns of {@link CsvExport#CELL_COLUMNS} and a flat
 * per-layer table. Every cell executes top to bottom (the tests run it with {@code jupyter nbconvert --execute}).
 */
public final class NotebookWriter {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private NotebookWriter() {
    }

    /** The notebook as JSON text. */
    public static String render(ReportData data, List<Plots.Figure> figures) {
        ObjectNode nb = JSON.createObjectNode();
        ArrayNode cells = nb.putArray("cells");
        int[] next = {1};
        markdown(cells, next, "# Sweep `" + data.sweepName().replace("`", "'") + "`\n\n"
                + MarkdownReport.provenance(data.provenance())
                + "\nComparisons are made against `" + data.reference().trim().replace("`", "'") + "`.\n\n"
                + "The outputs below were filled in by ternsweep when it wrote this report (figures drawn in Java "
                + "with JFreeChart). Run the notebook to redraw them from the Parquet files with pandas and "
                + "matplotlib.");
        if (!data.sweepYaml().isBlank()) {
            markdown(cells, next, "## Sweep file (resolved)\n\n```yaml\n" + data.sweepYaml().stripTrailing() + "\n```");
        }
        markdown(cells, next, MarkdownReport.tables(data));
        ObjectNode load = code(cells, next, loadCode());
        stream(load, "cells: " + data.cells().size() + " rows, summary: " + data.summary().size()
                + " rows, comparisons: " + data.comparisons().size() + " rows\n");
        List<GroupKey.Axis> axes = GroupKey.shownAxes(data.summary().stream().map(SummaryRow::group).distinct().toList());
        String groupCols = axes.stream().map(a -> "'" + a.column() + "'").collect(Collectors.joining(", ", "[", "]"));
        for (Plots.Figure f : figures) {
            markdown(cells, next, "## " + f.title() + "\n\n" + f.description() + ".");
            ObjectNode cell = code(cells, next, figureCode(f.fileName(), groupCols));
            ObjectNode out = ((ArrayNode) cell.get("outputs")).addObject();
            out.put("output_type", "display_data");
            ObjectNode d = out.putObject("data");
            d.put("image/png", Base64.getEncoder().encodeToString(f.png()));
            d.putArray("text/plain").add("<Figure: " + f.title() + ">");
            out.putObject("metadata");
        }
        ObjectNode meta = nb.putObject("metadata");
        ObjectNode kernel = meta.putObject("kernelspec");
        kernel.put("display_name", "Python 3");
        kernel.put("language", "python");
        kernel.put("name", "python3");
        meta.putObject("language_info").put("name", "python");
        nb.put("nbformat", 4);
        nb.put("nbformat_minor", 5);
        try {
            return JSON.writeValueAsString(nb) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise the notebook of sweep " + data.sweepName(), e);
        }
    }

    private static String loadCode() {
        return """
                import pandas as pd
                import matplotlib.pyplot as plt

                # the files written by `ternsweep run`, next to this notebook: the Parquet files where pandas can
                # read Parquet (pyarrow), else their CSV twins (cells.csv, layers.csv, summary.csv, comparisons.csv)
                try:
                    import pyarrow  # noqa: F401
                    cells = pd.read_parquet('cells')
                    summary = pd.read_parquet('summary.parquet')
                    comparisons = pd.read_parquet('comparisons.parquet')
                    exploded = cells[['operator', 'operator_options', 'status', 'layers']].explode('layers')
                    exploded = exploded.dropna(subset=['layers'])
                    layers = pd.concat([exploded[['operator', 'operator_options', 'status']].reset_index(drop=True),
                                        pd.DataFrame(list(exploded['layers']))], axis=1)
                except ImportError:
                    def read(name):
                        return pd.read_csv(name, keep_default_na=False, na_values=[''])
                    cells = read('cells.csv')
                    summary = read('summary.csv')
                    comparisons = read('comparisons.csv')
                    layers = read('layers.csv')


                def op_label(df):
                    plain = df['operator_options'] == '{}'
                    return df['operator'].where(plain, df['operator'] + ' ' + df['operator_options'])


                print(f'cells: {len(cells)} rows, summary: {len(summary)} rows, comparisons: {len(comparisons)} rows')""";
    }

    private static String figureCode(String fileName, String groupCols) {
        return switch (fileName) {
            case "accuracy.png" -> bars(groupCols, "accuracy_mean", "accuracy_std", "100", "accuracy (%)",
                    "Top-1 accuracy (mean ± std over seeds)");
            case "processing_time.png" -> bars(groupCols, "quantize_seconds_mean", "quantize_seconds_std", "1", "seconds",
                    "Quantization time (mean ± std over seeds)");
            case "accuracy_strip.png" -> strip(groupCols);
            case "layer_zero_fraction.png" -> layers("frac_zero", "fraction of 0 codes", "Fraction of zero codes per layer");
            case "layer_sqnr.png" -> layers("sqnr_db", "SQNR (dB)", "Weight SQNR per layer");
            default -> throw new IllegalArgumentException("no Python code for figure " + fileName
                    + "; add a case to NotebookWriter.figureCode when adding a figure to Plots");
        };
    }

    private static String bars(String groupCols, String mean, String std, String scale, String ylabel, String title) {
        return """
                df = summary[summary['n'] > 0].copy()
                df['operator'] = op_label(df)
                df['group'] = df[%s].astype(str).agg(' / '.join, axis=1)
                mean = df.pivot_table(index='group', columns='operator', values='%s') * %s
                std = df.pivot_table(index='group', columns='operator', values='%s').fillna(0) * %s
                ax = mean.plot.bar(yerr=std, capsize=3, figsize=(10, 5), rot=30)
                ax.set_xlabel('')
                ax.set_ylabel('%s')
                ax.set_title('%s')
                plt.tight_layout()
                plt.show()""".formatted(groupCols, mean, scale, std, scale, ylabel, title);
    }

    private static String strip(String groupCols) {
        return """
                group_cols = [c for c in %s if c != 'model']
                models = sorted(summary['model'].unique())
                fig, axes = plt.subplots(1, len(models), figsize=(max(9, 5 * len(models)), 5), sharey=True,
                                         squeeze=False)
                ok = cells[cells['status'] == 'OK'].copy()
                ok['operator'] = op_label(ok)
                rows = summary[summary['n'] > 0].copy()
                rows['operator'] = op_label(rows)
                ops = list(dict.fromkeys(rows['operator']))
                for ax, model in zip(axes[0], models):
                    here = rows[rows['model'] == model]
                    keys = here[group_cols].astype(str).agg(' / '.join, axis=1)
                    groups = list(dict.fromkeys(keys))
                    width = 0.8 / max(1, len(ops))
                    for j, op in enumerate(ops):
                        colour = 'C%%d' %% j
                        for _, r in here[here['operator'] == op].iterrows():
                            x = groups.index(' / '.join(str(r[c]) for c in group_cols)) - 0.4 + width * (j + 0.5)
                            mask = (ok['model'] == model) & (ok['operator'] == op)
                            for c in group_cols:
                                mask &= ok[c].astype(str) == str(r[c])
                            ax.scatter([x - width / 4] * int(mask.sum()), ok.loc[mask, 'accuracy'] * 100, s=12,
                                       color=colour, alpha=0.7)
                            ci = 0 if pd.isna(r['accuracy_ci95']) else r['accuracy_ci95'] * 100
                            ax.errorbar([x + width / 4], [r['accuracy_mean'] * 100], yerr=[ci], fmt='_',
                                        color='black', capsize=3)
                        ax.scatter([], [], color=colour, label=op)
                    ax.set_xticks(range(len(groups)))
                    ax.set_xticklabels(groups, rotation=30, ha='right')
                    ax.set_title(model)
                axes[0][0].set_ylabel('accuracy (%%)')
                axes[0][0].legend()
                fig.suptitle('Accuracy per seed: dots = cells, bar = mean ± 95 %% CI')
                plt.tight_layout()
                plt.show()""".formatted(groupCols);
    }

    private static String layers(String column, String ylabel, String title) {
        return """
                per_layer = layers[(layers['status'] == 'OK') & (layers['scheme'] == 'ternary')].copy()
                per_layer['operator'] = op_label(per_layer)
                order = list(dict.fromkeys(per_layer['layer']))
                table = per_layer.pivot_table(index='layer', columns='operator', values='%s').reindex(order)
                ax = table.plot(marker='o', figsize=(9, 5))
                ax.set_ylabel('%s')
                ax.set_title('%s')
                plt.tight_layout()
                plt.show()""".formatted(column, ylabel, title);
    }

    private static void markdown(ArrayNode cells, int[] next, String text) {
        ObjectNode c = cells.addObject();
        c.put("cell_type", "markdown");
        c.put("id", "cell-" + next[0]++);
        c.putObject("metadata");
        source(c, text);
    }

    private static ObjectNode code(ArrayNode cells, int[] next, String text) {
        ObjectNode c = cells.addObject();
        c.put("cell_type", "code");
        int n = next[0]++;
        c.put("id", "cell-" + n);
        c.put("execution_count", n);
        c.putObject("metadata");
        c.putArray("outputs");
        source(c, text);
        return c;
    }

    private static void stream(ObjectNode codeCell, String text) {
        ObjectNode out = ((ArrayNode) codeCell.get("outputs")).addObject();
        out.put("output_type", "stream");
        out.put("name", "stdout");
        lines(out.putArray("text"), text);
    }

    private static void source(ObjectNode cell, String text) {
        lines(cell.putArray("source"), text);
    }

    /** Jupyter's multi-line strings: a list of lines, each but the last ending in "\n". */
    private static void lines(ArrayNode array, String text) {
        String[] parts = text.split("\n", -1);
        for (int i = 0; i < parts.length; i++) {
            if (i < parts.length - 1) {
                array.add(parts[i] + "\n");
            } else if (!parts[i].isEmpty()) {
                array.add(parts[i]);
            }
        }
    }
}
