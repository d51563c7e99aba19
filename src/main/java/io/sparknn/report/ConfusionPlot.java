package io.sparknn.report;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A confusion matrix drawn with java.awt: rows are true classes, columns predicted ones, each cell shaded
 * by its share of the row (so a rare class's recall is as visible as a common one's) and labelled with
 * its count in black or white, whichever contrasts with the shade.
 */
final class ConfusionPlot {
  static final int WIDTH = 800;
  static final int HEIGHT = 600;
  static final Color FULL = new Color(8, 48, 107);
  private static final int TOP = 70;
  private static final int MIN_COUNT_FONT = 7;

  private ConfusionPlot() {}

  static void write(Path png, String title, long[][] matrix, String[] classNames) {
    int n = validate(title, matrix, classNames);
    BufferedImage image = Png.canvas(WIDTH, HEIGHT);
    Graphics2D g = Png.graphics(image);
    try {
      draw(g, title == null ? "" : title, matrix, classNames, n);
    } finally {
      g.dispose();
    }
    Png.write(png, image);
  }

  private static void draw(Graphics2D g, String title, long[][] matrix, String[] names, int n) {
    Font labelFont = g.getFont();
    FontMetrics labels = g.getFontMetrics(labelFont);
    int widestName = 0;
    for (String name : names) {
      widestName = Math.max(widestName, labels.stringWidth(name));
    }
    int left = 30 + widestName + 10;
    int cell = cellSize(n, left, 55);
    // Column labels wider than a cell would overlap their neighbours, so they turn to read upwards.
    boolean rotate = widestName > cell - 6;
    int bottom = rotate ? widestName + 45 : 55;
    cell = Math.max(1, cellSize(n, left, bottom));
    int side = cell * n;
    int x0 = left + Math.max(0, (WIDTH - 30 - left - side) / 2);
    int y0 = TOP;

    long total = 0;
    long correct = 0;
    for (int r = 0; r < n; r++) {
      for (int c = 0; c < n; c++) {
        total += matrix[r][c];
      }
      correct += matrix[r][r];
    }
    g.setFont(labelFont.deriveFont(Font.BOLD, 16f));
    centre(g, title, WIDTH / 2, 28);
    g.setFont(labelFont);
    String note = total == 0 ? "no samples"
        : String.format(Locale.ROOT, "accuracy %.2f%% of %d; shade = share of the true class's row",
            100.0 * correct / total, total);
    centre(g, note, WIDTH / 2, 50);

    Font countFont = countFont(g, labelFont, matrix, cell);
    for (int r = 0; r < n; r++) {
      long rowTotal = 0;
      for (int c = 0; c < n; c++) {
        rowTotal += matrix[r][c];
      }
      for (int c = 0; c < n; c++) {
        double share = rowTotal == 0 ? 0 : (double) matrix[r][c] / rowTotal;
        int x = x0 + c * cell;
        int y = y0 + r * cell;
        g.setColor(Palette.between(Color.WHITE, FULL, share));
        g.fillRect(x, y, cell, cell);
        if (countFont != null) {
          g.setFont(countFont);
          g.setColor(share > 0.5 ? Color.WHITE : Color.BLACK);
          centre(g, Long.toString(matrix[r][c]), x + cell / 2, y + cell / 2 + g.getFontMetrics().getAscent() / 2 - 1);
        }
      }
    }
    g.setColor(Color.GRAY);
    g.drawRect(x0, y0, side, side);

    g.setFont(labelFont);
    g.setColor(Color.BLACK);
    for (int i = 0; i < n; i++) {
      int middle = i * cell + cell / 2;
      g.drawString(names[i], x0 - 8 - labels.stringWidth(names[i]), y0 + middle + labels.getAscent() / 2 - 1);
      if (rotate) {
        AffineTransform saved = g.getTransform();
        g.translate(x0 + middle + labels.getAscent() / 2 - 1, y0 + side + 8 + labels.stringWidth(names[i]));
        g.rotate(-Math.PI / 2);
        g.drawString(names[i], 0, 0);
        g.setTransform(saved);
      } else {
        centre(g, names[i], x0 + middle, y0 + side + 8 + labels.getAscent());
      }
    }
    int labelDepth = rotate ? widestName : labels.getHeight();
    centre(g, "predicted class", x0 + side / 2, y0 + side + 8 + labelDepth + 8 + labels.getAscent());
    AffineTransform saved = g.getTransform();
    g.translate(x0 - 8 - widestName - 10, y0 + side / 2);
    g.rotate(-Math.PI / 2);
    centre(g, "true class", 0, 0);
    g.setTransform(saved);
  }

  /** The largest square cell that fits {@code n × n} cells between the margins. */
  private static int cellSize(int n, int left, int bottom) {
    return Math.min((WIDTH - left - 30) / n, (HEIGHT - TOP - bottom) / n);
  }

  /** The largest font, up to 14 pt, in which every count fits its cell; null if even the smallest does not. */
  private static Font countFont(Graphics2D g, Font base, long[][] matrix, int cell) {
    long largest = 0;
    for (long[] row : matrix) {
      for (long count : row) {
        largest = Math.max(largest, count);
      }
    }
    String widest = Long.toString(largest);
    for (int size = 14; size >= MIN_COUNT_FONT; size--) {
      Font font = base.deriveFont((float) size);
      FontMetrics metrics = g.getFontMetrics(font);
      if (metrics.stringWidth(widest) <= cell - 4 && metrics.getAscent() <= cell - 2) {
        return font;
      }
    }
    return null;
  }

  private static void centre(Graphics2D g, String text, int x, int baseline) {
    g.drawString(text, x - g.getFontMetrics().stringWidth(text) / 2, baseline);
  }

  private static int validate(String title, long[][] matrix, String[] names) {
    if (matrix == null || matrix.length == 0) {
      throw new IllegalArgumentException("confusion matrix '" + title + "' is empty; it needs at least one class");
    }
    int n = matrix.length;
    if (names == null || names.length != n) {
      throw new IllegalArgumentException("confusion matrix '" + title + "' has " + n + " rows but "
          + (names == null ? "no" : Integer.toString(names.length)) + " class names");
    }
    for (int r = 0; r < n; r++) {
      if (matrix[r] == null || matrix[r].length != n) {
        throw new IllegalArgumentException("confusion matrix '" + title + "' must be square: row " + r + " has "
            + (matrix[r] == null ? 0 : matrix[r].length) + " columns, expected " + n);
      }
      for (int c = 0; c < n; c++) {
        if (matrix[r][c] < 0) {
          throw new IllegalArgumentException("confusion matrix '" + title + "' has a negative count "
              + matrix[r][c] + " at true " + r + ", predicted " + c);
        }
      }
      if (names[r] == null) {
        throw new IllegalArgumentException("confusion matrix '" + title + "' has a null name for class " + r);
      }
    }
    return n;
  }
}
