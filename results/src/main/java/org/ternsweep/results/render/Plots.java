package org.ternsweep.results.render;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.renderer.category.LineAndShapeRenderer;
import org.jfree.chart.renderer.category.StatisticalBarRenderer;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.statistics.DefaultStatisticalCategoryDataset;
import org.ternsweep.results.model.CellRow;
import org.ternsweep.results.model.GroupKey;
import org.ternsweep.results.model.LayerRow;
import org.ternsweep.results.model.OperatorKey;
import org.ternsweep.results.model.ReportData;
import org.ternsweep.results.model.SummaryRow;

/**
 * The report's figures, drawn with JFreeChart into PNG bytes: accuracy per operator and group with ±std
 * error bars, every seed's accuracy as a strip plot beside the group mean and its 95 % interval, per-layer zero fraction and SQNR per operator, and quantization time. Rendering is headless:
 * the JVM must run with {@code java.awt.headless=true} where there is no display (the CLI launcher and
 * the tests set it; {@link ReportWriter} sets it if nobody did).
 */
public final class Plots {
    private static final int HEIGHT = 520;
    private static final Font LABEL_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
    /** Muted colours (Tableau 10), one per operator, the same operator the same colour in every figure. */
    private static final Color[] PALETTE = {new Color(0x4E79A7), new Color(0xF28E2B), new Color(0x59A14F),
        new Color(0xE15759), new Color(0x76B7B2), new Color(0xEDC948), new Color(0xB07AA1), new Color(0xFF9DA7),
        new Color(0x9C755F), new Color(0xBAB0AC)};

    private Plots() {
    }

    /** One figure: its file name under plots/, a title, a one-line description and the PNG bytes. */
    public record Figure(String fileName, String title, String description, byte[] png) {
    }

    /** Every figure of the report, in the order the notebook shows them. */
    public static List<Figure> draw(ReportData data) {
        List<Figure> figures = new ArrayList<>();
        List<GroupKey> groups = data.summary().stream().map(SummaryRow::group).distinct().sorted().toList();
        List<GroupKey.Axis> axes = GroupKey.shownAxes(groups);
        List<OperatorKey> sorted = data.summary().stream().map(SummaryRow::operator).distinct().sorted().toList();
        // reference first, as in the tables
        List<OperatorKey> ops = new ArrayList<>(sorted.stream().filter(k -> k.operator().equals(data.reference().trim())).toList());
        sorted.stream().filter(k -> !ops.contains(k)).forEach(ops::add);
        int width = Math.max(900, Math.min(2400, 160 * groups.size() + 300));
        figures.add(new Figure("accuracy.png", "Top-1 accuracy per operator",
                "mean over seeds with ±1 std error bars, per " + axesText(axes),
                png(statisticalBars(data, "Top-1 accuracy (mean ± std over seeds)", "accuracy (%)", axes, ops,
                        s -> 100 * s.accuracyMean(), s -> 100 * s.accuracyStd()), width)));
        figures.add(new Figure("accuracy_strip.png", "Every seed's accuracy",
                "one dot per cell (model seed and seed) beside the group's mean with its 95 % Student-t interval,"
                        + " per method × granularity, one panel per model",
                png(strip(data, ops), width)));
        figures.add(new Figure("layer_zero_fraction.png", "Zero fraction per layer",
                "fraction of weights quantized to 0, mean over OK cells of each operator (ternary layers)",
                png(perLayer(data, "Fraction of zero codes per layer", "fraction of 0 codes", ops,
                        LayerRow::fracZero), 900)));
        figures.add(new Figure("layer_sqnr.png", "SQNR per layer",
                "weight SQNR in dB, mean over OK cells of each operator (ternary layers)",
                png(perLayer(data, "Weight SQNR per layer", "SQNR (dB)", ops, LayerRow::sqnrDb), 900)));
        figures.add(new Figure("processing_time.png", "Processing time",
                "wall seconds of the quantization method, mean with ±1 std error bars, per " + axesText(axes),
                png(statisticalBars(data, "Quantization time (mean ± std over seeds)", "seconds", axes, ops,
                        SummaryRow::quantizeSecondsMean, SummaryRow::quantizeSecondsStd), width)));
        return figures;
    }

    private static String axesText(List<GroupKey.Axis> axes) {
        return String.join(" × ", axes.stream().map(GroupKey.Axis::column).toList());
    }

    private static JFreeChart statisticalBars(ReportData data, String title, String valueLabel, List<GroupKey.Axis> axes,
                                              List<OperatorKey> ops, ToDoubleFunction<SummaryRow> mean,
                                              ToDoubleFunction<SummaryRow> std) {
        DefaultStatisticalCategoryDataset ds = new DefaultStatisticalCategoryDataset();
        for (OperatorKey op : ops) {
            for (SummaryRow s : data.summary()) {
                if (s.n() == 0 || !s.operator().equals(op)) {
                    continue;
                }
                double sd = std.applyAsDouble(s);
                ds.add(mean.applyAsDouble(s), Double.isNaN(sd) ? 0.0 : sd, op.label(ops), s.group().label(axes));
            }
        }
        JFreeChart chart = ChartFactory.createBarChart(title, null, valueLabel, ds);
        CategoryPlot plot = chart.getCategoryPlot();
        StatisticalBarRenderer renderer = new StatisticalBarRenderer();
        renderer.setErrorIndicatorPaint(Color.DARK_GRAY);
        renderer.setItemMargin(0.05);
        renderer.setDrawBarOutline(false);
        renderer.setShadowVisible(false);
        renderer.setBarPainter(new org.jfree.chart.renderer.category.StandardBarPainter());
        plot.setRenderer(renderer);
        colour(renderer, ds.getRowKeys(), ops);
        style(chart, ds.getColumnCount());
        return chart;
    }

    /** Strip plot: one panel per model sharing the accuracy axis; dots per cell, mean ± 95 % CI beside them. */
    private static JFreeChart strip(ReportData data, List<OperatorKey> ops) {
        List<String> models = data.summary().stream().map(s -> s.group().model()).distinct().sorted().toList();
        org.jfree.chart.axis.NumberAxis range = new org.jfree.chart.axis.NumberAxis("accuracy (%)");
        range.setAutoRangeIncludesZero(false);
        org.jfree.chart.plot.CombinedRangeCategoryPlot combined = new org.jfree.chart.plot.CombinedRangeCategoryPlot(
                range);
        for (String model : models) {
            List<SummaryRow> rows = data.summary().stream().filter(s -> s.group().model().equals(model)).toList();
            List<GroupKey.Axis> axes = GroupKey.shownAxes(rows.stream().map(SummaryRow::group).distinct().toList())
                    .stream().filter(a -> a != GroupKey.Axis.MODEL).toList();
            org.jfree.data.statistics.DefaultMultiValueCategoryDataset dots =
                    new org.jfree.data.statistics.DefaultMultiValueCategoryDataset();
            DefaultStatisticalCategoryDataset means = new DefaultStatisticalCategoryDataset();
            for (OperatorKey op : ops) {
                for (SummaryRow s : rows) {
                    if (!s.operator().equals(op) || s.n() == 0) {
                        continue;
                    }
                    List<Double> values = data.cells().stream().filter(c -> c.ok() && c.operatorKey().equals(op)
                            && c.groupKey().equals(s.group())).map(c -> 100 * c.accuracy()).toList();
                    String column = s.group().label(axes);
                    dots.add(values, op.label(ops), column);
                    double ci = s.accuracyCi95();
                    means.add(100 * s.accuracyMean(), Double.isNaN(ci) ? 0.0 : 100 * ci, op.label(ops), column);
                }
            }
            org.jfree.chart.renderer.category.ScatterRenderer scatter =
                    new org.jfree.chart.renderer.category.ScatterRenderer();
            CategoryPlot panel = new CategoryPlot(dots, new CategoryAxis(model), null, scatter);
            org.jfree.chart.renderer.category.StatisticalLineAndShapeRenderer mean =
                    new org.jfree.chart.renderer.category.StatisticalLineAndShapeRenderer(false, true);
            mean.setErrorIndicatorPaint(Color.BLACK);
            mean.setItemMargin(scatter.getItemMargin());
            mean.setUseSeriesOffset(true);
            panel.setDataset(1, means);
            panel.setRenderer(1, mean);
            colour(scatter, dots.getRowKeys(), ops);
            colour(mean, means.getRowKeys(), ops);
            for (int i = 0; i < means.getRowCount(); i++) {
                mean.setSeriesShape(i, new java.awt.geom.Rectangle2D.Double(-6, -1.5, 12, 3));
                scatter.setSeriesShape(i, new java.awt.geom.Ellipse2D.Double(-3, -3, 6, 6));
            }
            panel.setBackgroundPaint(Color.WHITE);
            panel.setRangeGridlinePaint(new Color(0xCCCCCC));
            panel.getDomainAxis().setTickLabelFont(LABEL_FONT);
            panel.getDomainAxis().setMaximumCategoryLabelLines(3);
            if (dots.getColumnCount() > 4) {
                panel.getDomainAxis().setCategoryLabelPositions(CategoryLabelPositions.UP_45);
            }
            combined.add(panel, Math.max(1, dots.getColumnCount()));
        }
        range.setTickLabelFont(LABEL_FONT);
        JFreeChart chart = new JFreeChart("Accuracy per seed: dots = cells, bar = mean ± 95 % CI",
                JFreeChart.DEFAULT_TITLE_FONT, combined, true);
        chart.setBackgroundPaint(Color.WHITE);
        return chart;
    }

    private static JFreeChart perLayer(ReportData data, String title, String valueLabel, List<OperatorKey> ops,
                                       ToDoubleFunction<LayerRow> value) {
        Map<String, Map<String, double[]>> sums = new LinkedHashMap<>();
        LinkedHashSet<String> layers = new LinkedHashSet<>();
        for (CellRow c : data.cells()) {
            if (!c.ok()) {
                continue;
            }
            String op = c.operatorKey().label(ops);
            for (LayerRow l : c.layers()) {
                double v = value.applyAsDouble(l);
                if (!l.scheme().equals("ternary") || !Double.isFinite(v)) {
                    continue;
                }
                layers.add(l.layer());
                double[] acc = sums.computeIfAbsent(op, k -> new LinkedHashMap<>()).computeIfAbsent(l.layer(), k -> new double[2]);
                acc[0] += v;
                acc[1] += 1;
            }
        }
        DefaultCategoryDataset ds = new DefaultCategoryDataset();
        for (OperatorKey op : ops) {
            String label = op.label(ops);
            for (String layer : layers) {
                double[] acc = sums.getOrDefault(label, Map.of()).get(layer);
                if (acc != null) {
                    ds.addValue(acc[0] / acc[1], label, layer);
                }
            }
        }
        JFreeChart chart = ChartFactory.createLineChart(title, "layer", valueLabel, ds);
        LineAndShapeRenderer renderer = (LineAndShapeRenderer) chart.getCategoryPlot().getRenderer();
        renderer.setDefaultShapesVisible(true);
        for (int i = 0; i < ds.getRowCount(); i++) {
            renderer.setSeriesStroke(i, new BasicStroke(2.0f));
        }
        colour(renderer, ds.getRowKeys(), ops);
        style(chart, ds.getColumnCount());
        return chart;
    }

    private static void colour(org.jfree.chart.renderer.category.AbstractCategoryItemRenderer renderer,
                               List<?> seriesKeys, List<OperatorKey> ops) {
        List<String> labels = ops.stream().map(k -> k.label(ops)).toList();
        for (int i = 0; i < seriesKeys.size(); i++) {
            int index = labels.indexOf(seriesKeys.get(i).toString());
            renderer.setSeriesPaint(i, PALETTE[Math.max(index, 0) % PALETTE.length]);
        }
    }

    private static void style(JFreeChart chart, int categories) {
        chart.setBackgroundPaint(Color.WHITE);
        CategoryPlot plot = chart.getCategoryPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(new Color(0xCCCCCC));
        plot.setOutlineVisible(false);
        CategoryAxis axis = plot.getDomainAxis();
        axis.setTickLabelFont(LABEL_FONT);
        plot.getRangeAxis().setTickLabelFont(LABEL_FONT);
        if (categories > 4) {
            axis.setCategoryLabelPositions(CategoryLabelPositions.UP_45);
        }
        axis.setMaximumCategoryLabelLines(3);
    }

    private static byte[] png(JFreeChart chart, int width) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ChartUtils.writeChartAsPNG(out, chart, width, HEIGHT);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode chart '" + chart.getTitle().getText() + "' as PNG", e);
        }
        return out.toByteArray();
    }
}
