package io.squall.bench.report;

import io.squall.bench.scenario.ResultRow;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The report's chart: for each fan-out configuration (and the many-channels run), p99 latency against deliveries/s
 * achieved, one line per broker, on log scales. Lower and further right is better.
 */
final class Charts {
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
            XYChart chart = new XYChartBuilder().width(640).height(420).title(panel.getKey())
                    .xAxisTitle("deliveries/s achieved").yAxisTitle("p99 latency (ms)").build();
            chart.getStyler().setXAxisLogarithmic(true).setYAxisLogarithmic(true).setChartBackgroundColor(
                    java.awt.Color.WHITE).setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNW);
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
        int cols = Math.min(2, charts.size());
        int rowsOfCharts = (charts.size() + cols - 1) / cols;
        BitmapEncoder.saveBitmap(charts, rowsOfCharts, cols, png.toString(), BitmapEncoder.BitmapFormat.PNG);
        return true;
    }
}
