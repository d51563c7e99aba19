package io.sparknn.report;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;

/**
 * The figures of a training report, each written as a PNG file atomically (a reader never sees half an
 * image): loss and accuracy curves ({@link #lines}, XChart, 800 × 500), a confusion matrix
 * ({@link #confusion}, 800 × 600), a 2-D classifier's decision regions under its data
 * ({@link #scatterWithBoundary}, 800 × 600) and rows of small grey-scale images such as digits and their
 * reconstructions ({@link #digitRows}, sized to fit). Rendering is headless: this class sets
 * {@code java.awt.headless=true} unless the property was already given, so it runs on a cluster node with no
 * display. Bad input is an {@link IllegalArgumentException} naming the chart and what is wrong; a failed
 * write is an {@link java.io.UncheckedIOException} naming the file.
 */
public final class Charts {
  static {
    // Sets java.awt.headless=true unless given; the plot classes do the same, whichever loads first.
    Headless.ensure();
  }

  private Charts() {}

  /**
   * One line per entry of {@code series}, each value {@code {xs, ys}} of equal length, in the map's order
   * (use a {@link java.util.LinkedHashMap} to fix the legend order). Points with a NaN or infinite
   * coordinate are skipped; a series with no finite point is left out, but at least one must remain.
   */
  public static void lines(Path png, String title, String xLabel, String yLabel, Map<String, double[][]> series) {
    LinePlot.write(requirePath(png), title, xLabel, yLabel, series);
  }

  /**
   * A confusion matrix heat map: {@code matrix[t][p]} counts samples of true class {@code t} predicted as
   * {@code p}; {@code classNames} labels both axes. Cells are shaded by their share of the row and show
   * their count when it fits.
   */
  public static void confusion(Path png, String title, long[][] matrix, String[] classNames) {
    ConfusionPlot.write(requirePath(png), title, matrix, classNames);
  }

  /**
   * {@code points} ({@code n × 2}) coloured by {@code classes} ({@code n}, each {@code >= 0}) over the
   * regions {@code classify} assigns on a 200 × 200 grid covering the points plus a 10% margin. The
   * classifier receives a fresh {@code {x, y}} array on each call.
   */
  public static void scatterWithBoundary(Path png, String title, double[][] points, int[] classes,
      ToIntFunction<double[]> classify) {
    BoundaryPlot.write(requirePath(png), title, points, classes, classify);
  }

  /**
   * Rows of grey-scale {@code height × width} images (row-major values, 0 black, 1 white, clipped), one row
   * per entry of {@code rows} with the matching entry of {@code rowTitles} at its left, each pixel drawn
   * 3 × 3. Rows may hold different numbers of images, but there must be at least one image in all.
   */
  public static void digitRows(Path png, List<String> rowTitles, List<double[][]> rows, int height, int width) {
    new DigitSheet(rowTitles, rows, height, width).write(requirePath(png));
  }

  private static Path requirePath(Path png) {
    if (png == null) {
      throw new IllegalArgumentException("chart output path must not be null");
    }
    return png;
  }
}
