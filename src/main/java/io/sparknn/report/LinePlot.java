package io.sparknn.report;

import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** Line charts with XChart: one line per named {@code {xs, ys}} series, non-finite points left out. */
final class LinePlot {
  static final int WIDTH = 800;
  static final int HEIGHT = 500;
  // Beyond this many points per series, markers only thicken the line into a smear.
  private static final int MAX_POINTS_WITH_MARKERS = 40;

  static {
    Headless.ensure();
  }

  private LinePlot() {}

  static void write(Path png, String title, String xLabel, String yLabel, Map<String, double[][]> series) {
    if (series == null || series.isEmpty()) {
      throw new IllegalArgumentException("line chart '" + title + "' needs at least one series, got none");
    }
    XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT)
        .title(title == null ? "" : title)
        .xAxisTitle(xLabel == null ? "" : xLabel)
        .yAxisTitle(yLabel == null ? "" : yLabel)
        .build();
    chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
    chart.getStyler().setChartBackgroundColor(Color.WHITE);
    chart.getStyler().setMarkerSize(5);
    int drawn = 0;
    for (Map.Entry<String, double[][]> entry : series.entrySet()) {
      String name = entry.getKey();
      double[][] finite = finitePoints(title, name, entry.getValue());
      if (finite[0].length == 0) {
        // A diverged run (all NaN) gets no line, rather than breaking the chart for the other series.
        continue;
      }
      XYSeries line = chart.addSeries(name, finite[0], finite[1]);
      if (finite[0].length > MAX_POINTS_WITH_MARKERS) {
        line.setMarker(SeriesMarkers.NONE);
      }
      drawn++;
    }
    if (drawn == 0) {
      throw new IllegalArgumentException("line chart '" + title + "' has no finite point in any of its series "
          + series.keySet());
    }
    try {
      AtomicFiles.write(png, BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG));
    } catch (IOException e) {
      throw new UncheckedIOException("could not encode chart '" + title + "' for " + png, e);
    }
  }

  /** The {@code {xs, ys}} pairs of {@code xy} where both coordinates are finite. */
  private static double[][] finitePoints(String title, String name, double[][] xy) {
    if (name == null) {
      throw new IllegalArgumentException("line chart '" + title + "' has a series with a null name");
    }
    if (xy == null || xy.length != 2 || xy[0] == null || xy[1] == null) {
      throw new IllegalArgumentException("series '" + name + "' of line chart '" + title
          + "' must be {xs, ys}, two non-null arrays");
    }
    double[] xs = xy[0];
    double[] ys = xy[1];
    if (xs.length != ys.length) {
      throw new IllegalArgumentException("series '" + name + "' of line chart '" + title + "' has "
          + xs.length + " xs but " + ys.length + " ys");
    }
    double[] keptX = new double[xs.length];
    double[] keptY = new double[ys.length];
    int n = 0;
    for (int i = 0; i < xs.length; i++) {
      if (Double.isFinite(xs[i]) && Double.isFinite(ys[i])) {
        keptX[n] = xs[i];
        keptY[n] = ys[i];
        n++;
      }
    }
    return new double[][] {Arrays.copyOf(keptX, n), Arrays.copyOf(keptY, n)};
  }
}
