package io.sparknn.report;

import java.awt.Color;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;

/**
 * Rows of small grey-scale images, each row titled at its left (e.g. originals above their
 * reconstructions). An image is {@code height × width} values in row-major order, 0 black and 1 white;
 * values outside {@code [0, 1]} are clipped and NaN is drawn magenta so a broken output is seen, not hidden.
 * Each value becomes a {@value #SCALE} × {@value #SCALE} block; tiles are {@value #GAP} pixels apart.
 */
final class DigitSheet {
  static final int SCALE = 3;
  static final int GAP = 4;
  static final int PAD = 10;
  private static final Color NOT_A_NUMBER = Color.MAGENTA;

  private final List<String> titles;
  private final List<double[][]> rows;
  private final int height;
  private final int width;
  private final int labelWidth;
  private final int columns;

  DigitSheet(List<String> titles, List<double[][]> rows, int height, int width) {
    validate(titles, rows, height, width);
    this.titles = titles;
    this.rows = rows;
    this.height = height;
    this.width = width;
    Graphics2D scratch = Png.graphics(new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB));
    FontMetrics metrics = scratch.getFontMetrics();
    int widest = 0;
    for (String title : titles) {
      widest = Math.max(widest, metrics.stringWidth(title));
    }
    scratch.dispose();
    this.labelWidth = widest + 12;
    this.columns = rows.stream().mapToInt(r -> r.length).max().orElse(0);
  }

  /** Left edge, in pixels, of the tile in column {@code col}. */
  int tileX(int col) {
    return PAD + labelWidth + col * (width * SCALE + GAP);
  }

  /** Top edge, in pixels, of the tiles in row {@code row}. */
  int tileY(int row) {
    return PAD + row * (height * SCALE + GAP);
  }

  int imageWidth() {
    return tileX(columns) - GAP + PAD;
  }

  int imageHeight() {
    return tileY(rows.size()) - GAP + PAD;
  }

  void write(Path png) {
    BufferedImage image = Png.canvas(imageWidth(), imageHeight());
    Graphics2D g = Png.graphics(image);
    try {
      FontMetrics metrics = g.getFontMetrics();
      for (int r = 0; r < rows.size(); r++) {
        int top = tileY(r);
        g.setColor(Color.BLACK);
        g.drawString(titles.get(r), PAD, top + (height * SCALE + metrics.getAscent()) / 2 - 1);
        double[][] row = rows.get(r);
        for (int c = 0; c < row.length; c++) {
          paintTile(image, row[c], tileX(c), top);
        }
      }
    } finally {
      g.dispose();
    }
    Png.write(png, image);
  }

  /** Writes the pixels directly: exact grey levels, no anti-aliasing blur at block edges. */
  private void paintTile(BufferedImage image, double[] values, int left, int top) {
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int rgb = grey(values[y * width + x]);
        for (int dy = 0; dy < SCALE; dy++) {
          for (int dx = 0; dx < SCALE; dx++) {
            image.setRGB(left + x * SCALE + dx, top + y * SCALE + dy, rgb);
          }
        }
      }
    }
  }

  private static int grey(double value) {
    if (Double.isNaN(value)) {
      return NOT_A_NUMBER.getRGB();
    }
    int level = (int) Math.round(255 * Math.max(0, Math.min(1, value)));
    return new Color(level, level, level).getRGB();
  }

  private static void validate(List<String> titles, List<double[][]> rows, int height, int width) {
    if (height <= 0 || width <= 0) {
      throw new IllegalArgumentException("digit images must have a positive size, got " + height + "x" + width);
    }
    if (rows == null || rows.isEmpty()) {
      throw new IllegalArgumentException("digit sheet has no rows of images");
    }
    if (titles == null || titles.size() != rows.size()) {
      throw new IllegalArgumentException("digit sheet has " + rows.size() + " rows but "
          + (titles == null ? "no" : Integer.toString(titles.size())) + " row titles");
    }
    int images = 0;
    for (int r = 0; r < rows.size(); r++) {
      if (titles.get(r) == null) {
        throw new IllegalArgumentException("digit sheet row " + r + " has a null title");
      }
      double[][] row = rows.get(r);
      if (row == null) {
        throw new IllegalArgumentException("digit sheet row " + r + " ('" + titles.get(r) + "') is null");
      }
      for (int c = 0; c < row.length; c++) {
        if (row[c] == null || row[c].length != height * width) {
          throw new IllegalArgumentException("digit sheet row " + r + " ('" + titles.get(r) + "') image " + c
              + " has " + (row[c] == null ? 0 : row[c].length) + " values, expected " + height + "x" + width
              + " = " + height * width);
        }
      }
      images += row.length;
    }
    if (images == 0) {
      throw new IllegalArgumentException("digit sheet rows " + titles + " contain no images");
    }
  }
}
