package io.squall.bench.report;

import io.squall.bench.scenario.ResultRow;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The report's chart: for each fan-out configuration (and the many-channels run), p99 latency against deliveries/s
 * achieved, one line per broker, on log scales. Lower and further right is better.
 */
final class Charts {
    private static final int WIDTH = 640;
    private static final int HEIGHT = 420;

    private Charts() {}

    static boolean write(List<ResultRow> rows, Path png) throws IOException {
        Map<String, List<ResultRow>> panels = new LinkedHashMap<>();
        for (ResultRow row : rows) {
            if ((row.scenario().equals("fanout") || row.scenario().equals("channels")) && row.p99() != null
                    && row.rate() != null && row.rate() > 0) {
                String title = (row.scenario().equals("fanout") ? "Fan-out, " : "Many channels, ")
                        + Tables.count(row.connections()) + " conns, " + Tables.bytes(row.payload());
                panels.computeIfAbsent(title, t -> new ArrayList<>()).add(row);
            }
        }
        if (panels.isEmpty()) {
            return false;
        }
        List<XYChart> charts = new ArrayList<>();
        for (var panel : panels.entrySet()) {
            XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(panel.getKey())
                    .xAxisTitle("deliveries/s achieved").yAxisTitle("p99 latency (ms)").build();
            chart.getStyler().setXAxisLogarithmic(true).setYAxisLogarithmic(true).setChartBackgroundColor(
                    Color.WHITE).setLegendPosition(Styler.LegendPosition.OutsideS).setLegendLayout(Styler.LegendLayout.Horizontal);
            // explicit ranges: XChart's log axes lose their labels (and points) when a panel has one or two points
            chart.getStyler().setXAxisMin(panel.getValue().stream().mapToDouble(ResultRow::rate).min().orElse(1) / 2)
                    .setXAxisMax(panel.getValue().stream().mapToDouble(ResultRow::rate).max().orElse(1) * 2)
                    .setYAxisMin(panel.getValue().stream().mapToDouble(r -> Math.max(0.01, r.p99())).min().orElse(1) / 2)
                    .setYAxisMax(panel.getValue().stream().mapToDouble(ResultRow::p99).max().orElse(1) * 2);
            Set<String> brokers = new LinkedHashSet<>();
            panel.getValue().forEach(row -> brokers.add(row.broker()));
            for (String broker : brokers) {
                List<Double> x = new ArrayList<>();
                List<Double> y = new ArrayList<>();
                for (ResultRow row : panel.getValue()) {
                    if (row.broker().equals(broker)) {
                        x.add(row.rate());
                        y.add(Math.max(0.01, row.p99()));
                    }
                }
                XYSeries series = chart.addSeries(broker, x, y);
                series.setMarker(SeriesMarkers.CIRCLE);
            }
            charts.add(chart);
        }
        // a grid of two columns, the last row possibly half empty (XChart's own merge wants a full grid)
        int cols = Math.min(2, charts.size());
        int rowsOfCharts = (charts.size() + cols - 1) / cols;
        BufferedImage grid = new BufferedImage(cols * WIDTH, rowsOfCharts * HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = grid.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, grid.getWidth(), grid.getHeight());
        for (int i = 0; i < charts.size(); i++) {
            g.drawImage(BitmapEncoder.getBufferedImage(charts.get(i)), (i % cols) * WIDTH, (i / cols) * HEIGHT, null);
        }
        g.dispose();
        if (!ImageIO.write(grid, "png", png.toFile())) {
            throw new IOException("no PNG writer");
        }
        return true;
    }
}
