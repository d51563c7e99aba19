package io.sparknn.report;

import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;

/**
 * A scatter chart (XChart, 800 × 500, written atomically): one marker per point, one colour per named series,
 * no lines. The x axis is numeric (optionally logarithmic) or, given category names, shows the name of
 * each category drawn at its x = 0, 1, ... Points with a non-finite coordinate are left out; a series with none left is not drawn.
 */
public final class ScatterPlot {
  static {
    System.setProperty("java.awt.headless", System.getProperty("java.awt.headless", "true"));
  }

  private ScatterPlot() {}

  /**
   * @param series name → {xs, ys}
   * @param categories names of the x positions 0, 1, ... (null: numeric x)
   * @param logX logarithmic x axis (numeric x only)
   * @return whether a chart was written (false: no finite point at all)
   */
  public static boolean write(Path png, String title, String xLabel, String yLabel, Map<String, double[][]> series,
      List<String> categories, boolean logX) {
    XYChart chart = new XYChartBuilder().width(800).height(500).title(title).xAxisTitle(xLabel)
        .yAxisTitle(yLabel).build();
    chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
    chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
    chart.getStyler().setChartBackgroundColor(Color.WHITE);
    chart.getStyler().setMarkerSize(9);
    if (categories != null) {
      // With a formatting function XChart puts a tick at each x value drawn (so no axis bounds are set).
      chart.getStyler().setxAxisTickLabelsFormattingFunction(x -> {
        long i = Math.round(x);
        return Math.abs(x - i) < 1e-9 && i >= 0 && i < categories.size() ? categories.get((int) i) : "";
      });
    } else if (logX) {
      // Decade ticks only: XChart's in-between labels overlap on an 800-pixel axis.
      chart.getStyler().setXAxisLogarithmic(true);
    }
    int drawn = 0;
    for (Map.Entry<String, double[][]> e : series.entrySet()) {
      double[] xs = e.getValue()[0];
      double[] ys = e.getValue()[1];
      int n = 0;
      double[] fx = new double[xs.length];
      double[] fy = new double[ys.length];
      for (int i = 0; i < xs.length; i++) {
        if (Double.isFinite(xs[i]) && Double.isFinite(ys[i]) && (!logX || xs[i] > 0)) {
          fx[n] = xs[i];
          fy[n] = ys[i];
          n++;
        }
      }
      if (n > 0) {
        chart.addSeries(e.getKey(), java.util.Arrays.copyOf(fx, n), java.util.Arrays.copyOf(fy, n));
        drawn++;
      }
    }
    if (drawn == 0) {
      return false;
    }
    try {
      AtomicFiles.write(png, BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG));
    } catch (IOException e) {
      throw new UncheckedIOException("could not encode chart '" + title + "' for " + png, e);
    }
    return true;
  }
}
