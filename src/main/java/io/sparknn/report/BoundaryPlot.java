package io.sparknn.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.geom.Ellipse2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.ToIntFunction;

/**
 * Two-dimensional points coloured by class over a classifier's decision regions, drawn with java.awt
 * (XChart cannot shade regions). The classifier is evaluated at the centre of each cell of a
 * {@value #GRID} × {@value #GRID} grid spanning the data plus a {@value #MARGIN} margin on each side.
 */
final class BoundaryPlot {
  static final int WIDTH = 800;
  static final int HEIGHT = 600;
  static final int GRID = 200;
  static final double MARGIN = 0.1;
  private static final int LEFT = 70;
  private static final int RIGHT = 140;
  private static final int TOP = 50;
  private static final int BOTTOM = 50;
  // Regions are the class colour washed out, so the saturated points stay visible on top of them.
  private static final double REGION_WASH = 0.7;

  private BoundaryPlot() {}

  static void write(Path png, String title, double[][] points, int[] classes, ToIntFunction<double[]> classify) {
    validate(title, points, classes, classify);
    double[] xRange = range(points, 0);
    double[] yRange = range(points, 1);
    int[][] regions = classifyGrid(title, classify, xRange, yRange);

    BufferedImage image = Png.canvas(WIDTH, HEIGHT);
    Graphics2D g = Png.graphics(image);
    try {
      draw(image, g, title == null ? "" : title, points, classes, regions, xRange, yRange);
    } finally {
      g.dispose();
    }
    Png.write(png, image);
  }

  /** Colours each plot pixel by its grid cell directly: exact colours and no seams between cells. */
  private static void paintRegions(BufferedImage image, int[][] regions, int plotW, int plotH) {
    Map<Integer, Integer> wash = new HashMap<>();
    for (int py = 0; py < plotH; py++) {
      // Grid rows count up from the bottom of the plot, screen rows count down from the top.
      int j = (plotH - 1 - py) * GRID / plotH;
      for (int px = 0; px < plotW; px++) {
        int k = regions[px * GRID / plotW][j];
        int rgb = wash.computeIfAbsent(k, c -> Palette.lighter(Palette.forClass(c), REGION_WASH).getRGB());
        image.setRGB(LEFT + px, TOP + py, rgb);
      }
    }
  }

  private static void draw(BufferedImage image, Graphics2D g, String title, double[][] points, int[] classes,
      int[][] regions, double[] xRange, double[] yRange) {
    int plotW = WIDTH - LEFT - RIGHT;
    int plotH = HEIGHT - TOP - BOTTOM;
    paintRegions(image, regions, plotW, plotH);

    g.setStroke(new BasicStroke(1f));
    for (int p = 0; p < points.length; p++) {
      double px = LEFT + (points[p][0] - xRange[0]) / (xRange[1] - xRange[0]) * plotW;
      double py = TOP + plotH - (points[p][1] - yRange[0]) / (yRange[1] - yRange[0]) * plotH;
      Ellipse2D dot = new Ellipse2D.Double(px - 3.5, py - 3.5, 7, 7);
      g.setColor(Palette.forClass(classes[p]));
      g.fill(dot);
      g.setColor(Palette.forClass(classes[p]).darker().darker());
      g.draw(dot);
    }

    g.setColor(Color.DARK_GRAY);
    g.drawRect(LEFT, TOP, plotW, plotH);
    drawTicks(g, xRange, yRange, plotW, plotH);
    drawLegend(g, classes, regions, plotH);

    Font base = g.getFont();
    g.setFont(base.deriveFont(Font.BOLD, 16f));
    g.setColor(Color.BLACK);
    FontMetrics titleMetrics = g.getFontMetrics();
    g.drawString(title, LEFT + (plotW - titleMetrics.stringWidth(title)) / 2, 30);
    g.setFont(base);
  }

  private static void drawTicks(Graphics2D g, double[] xRange, double[] yRange, int plotW, int plotH) {
    FontMetrics metrics = g.getFontMetrics();
    double[] xTicks = Ticks.between(xRange[0], xRange[1], 6);
    double xStep = xTicks.length > 1 ? xTicks[1] - xTicks[0] : xRange[1] - xRange[0];
    for (double t : xTicks) {
      int x = (int) Math.round(LEFT + (t - xRange[0]) / (xRange[1] - xRange[0]) * plotW);
      g.setColor(Color.DARK_GRAY);
      g.drawLine(x, TOP + plotH, x, TOP + plotH + 5);
      String text = Ticks.label(t, xStep);
      g.setColor(Color.BLACK);
      g.drawString(text, x - metrics.stringWidth(text) / 2, TOP + plotH + 8 + metrics.getAscent());
    }
    double[] yTicks = Ticks.between(yRange[0], yRange[1], 6);
    double yStep = yTicks.length > 1 ? yTicks[1] - yTicks[0] : yRange[1] - yRange[0];
    for (double t : yTicks) {
      int y = (int) Math.round(TOP + plotH - (t - yRange[0]) / (yRange[1] - yRange[0]) * plotH);
      g.setColor(Color.DARK_GRAY);
      g.drawLine(LEFT - 5, y, LEFT, y);
      String text = Ticks.label(t, yStep);
      g.setColor(Color.BLACK);
      g.drawString(text, LEFT - 8 - metrics.stringWidth(text), y + metrics.getAscent() / 2 - 1);
    }
  }

  /** One swatch per class that appears either among the points or among the predicted regions. */
  private static void drawLegend(Graphics2D g, int[] classes, int[][] regions, int plotH) {
    SortedSet<Integer> shown = new TreeSet<>();
    Arrays.stream(classes).forEach(shown::add);
    for (int[] column : regions) {
      Arrays.stream(column).forEach(shown::add);
    }
    FontMetrics metrics = g.getFontMetrics();
    int x = WIDTH - RIGHT + 20;
    int y = TOP + 10;
    int lineHeight = Math.max(18, metrics.getHeight() + 4);
    for (int k : shown) {
      if (y + lineHeight > TOP + plotH) {
        g.setColor(Color.BLACK);
        g.drawString("...", x, y + metrics.getAscent());
        break;
      }
      g.setColor(Palette.forClass(k));
      g.fillRect(x, y, 12, 12);
      g.setColor(Color.BLACK);
      g.drawString("class " + k, x + 18, y + 11);
      y += lineHeight;
    }
  }

  /** The predicted class at each grid cell centre, indexed {@code [column from left][row from bottom]}. */
  private static int[][] classifyGrid(String title, ToIntFunction<double[]> classify, double[] xRange,
      double[] yRange) {
    int[][] regions = new int[GRID][GRID];
    double dx = (xRange[1] - xRange[0]) / GRID;
    double dy = (yRange[1] - yRange[0]) / GRID;
    for (int i = 0; i < GRID; i++) {
      for (int j = 0; j < GRID; j++) {
        double[] at = {xRange[0] + (i + 0.5) * dx, yRange[0] + (j + 0.5) * dy};
        int k = classify.applyAsInt(at);
        if (k < 0) {
          throw new IllegalArgumentException("classifier for '" + title + "' returned class " + k + " at ("
              + at[0] + ", " + at[1] + "); classes must be >= 0");
        }
        regions[i][j] = k;
      }
    }
    return regions;
  }

  /** {@code [lo, hi]} of coordinate {@code axis} widened by the margin; a zero span is widened to 1. */
  private static double[] range(double[][] points, int axis) {
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (double[] p : points) {
      lo = Math.min(lo, p[axis]);
      hi = Math.max(hi, p[axis]);
    }
    double span = hi - lo;
    if (span == 0) {
      // All points on one line: still show a neighbourhood, so the regions around them are visible.
      return new double[] {lo - 0.5 - MARGIN, hi + 0.5 + MARGIN};
    }
    return new double[] {lo - MARGIN * span, hi + MARGIN * span};
  }

  private static void validate(String title, double[][] points, int[] classes, ToIntFunction<double[]> classify) {
    if (points == null || points.length == 0) {
      throw new IllegalArgumentException("boundary plot '" + title + "' has no points");
    }
    if (classes == null || classes.length != points.length) {
      throw new IllegalArgumentException("boundary plot '" + title + "' has " + points.length + " points but "
          + (classes == null ? "no" : Integer.toString(classes.length)) + " classes");
    }
    if (classify == null) {
      throw new IllegalArgumentException("boundary plot '" + title + "' needs a classifier, got null");
    }
    for (int p = 0; p < points.length; p++) {
      if (points[p] == null || points[p].length != 2) {
        throw new IllegalArgumentException("boundary plot '" + title + "': point " + p + " has "
            + (points[p] == null ? "no" : Integer.toString(points[p].length)) + " coordinates, expected 2");
      }
      if (!Double.isFinite(points[p][0]) || !Double.isFinite(points[p][1])) {
        throw new IllegalArgumentException("boundary plot '" + title + "': point " + p + " is not finite: "
            + Arrays.toString(points[p]));
      }
      if (classes[p] < 0) {
        throw new IllegalArgumentException("boundary plot '" + title + "': point " + p + " has class "
            + classes[p] + "; classes must be >= 0");
      }
    }
  }
}
