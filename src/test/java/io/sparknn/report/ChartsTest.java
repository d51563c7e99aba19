package io.sparknn.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChartsTest {
  @TempDir Path dir;

  @Test
  void linesWritesANonBlankPngOfTheStatedSize() throws IOException {
    Map<String, double[][]> series = new LinkedHashMap<>();
    series.put("train", new double[][] {{1, 2, 3, 4}, {0.9, 0.5, Double.NaN, 0.2}});
    series.put("test", new double[][] {{1, 2, 3, 4}, {1.0, 0.7, 0.6, 0.5}});
    series.put("diverged", new double[][] {{1, 2}, {Double.NaN, Double.NaN}});
    Path png = dir.resolve("loss.png");
    Charts.lines(png, "loss", "epoch", "loss", series);
    BufferedImage image = readPng(png);
    assertEquals(800, image.getWidth());
    assertEquals(500, image.getHeight());
    assertTrue(anyDiffers(image), "image is blank: one colour throughout");
  }

  @Test
  void linesRejectsASeriesWithMoreXsThanYsNamingIt() {
    Map<String, double[][]> series = Map.of("train", new double[][] {{1, 2, 3}, {1, 2}});
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Charts.lines(dir.resolve("x.png"), "loss", "epoch", "loss", series));
    assertTrue(e.getMessage().contains("'train'") && e.getMessage().contains("3 xs but 2 ys"), e.getMessage());
  }

  @Test
  void linesRejectsAMapWithNoSeries() {
    assertThrows(IllegalArgumentException.class, () -> Charts.lines(dir.resolve("x.png"), "t", "x", "y", Map.of()));
  }

  @Test
  void confusionWritesANonBlankPng() throws IOException {
    long[][] matrix = {{50, 2, 0}, {3, 40, 7}, {0, 1, 12345}};
    Path png = dir.resolve("confusion.png");
    Charts.confusion(png, "test confusion", matrix, new String[] {"setosa", "versicolor", "virginica"});
    BufferedImage image = readPng(png);
    assertEquals(800, image.getWidth());
    assertEquals(600, image.getHeight());
    assertTrue(anyDiffers(image), "image is blank: one colour throughout");
  }

  @Test
  void confusionShadesACellHoldingItsWholeRowInTheFullColour() throws IOException {
    Path png = dir.resolve("perfect.png");
    Charts.confusion(png, "perfect", new long[][] {{5, 0}, {0, 7}}, new String[] {"a", "b"});
    assertTrue(hasColour(readPng(png), ConfusionPlot.FULL.getRGB() & 0xFFFFFF));
  }

  @Test
  void confusionRejectsANonSquareMatrixNamingTheRow() {
    long[][] matrix = {{1, 2}, {3}};
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Charts.confusion(dir.resolve("x.png"), "c", matrix, new String[] {"a", "b"}));
    assertTrue(e.getMessage().contains("row 1"), e.getMessage());
  }

  @Test
  void scatterWithBoundaryShadesTheRegionOfEachPredictedClass() throws IOException {
    double[][] points = {{-1, -1}, {-0.5, 0.5}, {0.5, -0.5}, {1, 1}};
    int[] classes = {0, 0, 1, 1};
    Path png = dir.resolve("boundary.png");
    Charts.scatterWithBoundary(png, "toy", points, classes, p -> p[0] < 0 ? 0 : 1);
    BufferedImage image = readPng(png);
    for (int k = 0; k <= 1; k++) {
      int region = Palette.lighter(Palette.forClass(k), 0.7).getRGB() & 0xFFFFFF;
      assertTrue(hasColour(image, region), "no region shaded for class " + k);
    }
  }

  @Test
  void scatterWithBoundaryRejectsMorePointsThanClasses() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Charts.scatterWithBoundary(dir.resolve("x.png"), "toy", new double[][] {{0, 0}, {1, 1}},
            new int[] {0}, p -> 0));
    assertTrue(e.getMessage().contains("2 points but 1 classes"), e.getMessage());
  }

  @Test
  void digitRowsDrawsAWhitePixelAsAWhiteThreeByThreeBlockAtItsPlace() throws IOException {
    int height = 4;
    int width = 5;
    double[] dark = new double[height * width];
    double[] onePixel = new double[height * width];
    onePixel[1 * width + 2] = 1.0; // row 1, column 2
    List<String> titles = List.of("original", "autoencoder");
    List<double[][]> rows = List.of(new double[][] {dark, dark}, new double[][] {dark, onePixel});
    Path png = dir.resolve("digits.png");
    Charts.digitRows(png, titles, rows, height, width);

    BufferedImage image = readPng(png);
    DigitSheet layout = new DigitSheet(titles, rows, height, width);
    assertEquals(layout.imageWidth(), image.getWidth());
    assertEquals(layout.imageHeight(), image.getHeight());
    int left = layout.tileX(1) + 2 * DigitSheet.SCALE;
    int top = layout.tileY(1) + 1 * DigitSheet.SCALE;
    for (int dy = 0; dy < DigitSheet.SCALE; dy++) {
      for (int dx = 0; dx < DigitSheet.SCALE; dx++) {
        assertEquals(0xFFFFFF, image.getRGB(left + dx, top + dy) & 0xFFFFFF, "pixel " + dx + "," + dy);
      }
    }
    // The block is exactly 3 × 3: its neighbours inside the tile stay black.
    assertEquals(0, image.getRGB(left - 1, top) & 0xFFFFFF);
    assertEquals(0, image.getRGB(left + DigitSheet.SCALE, top) & 0xFFFFFF);
    assertEquals(0, image.getRGB(left, top + DigitSheet.SCALE) & 0xFFFFFF);
  }

  @Test
  void digitRowsRejectsAnImageOfTheWrongSizeNamingItsRow() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Charts.digitRows(dir.resolve("x.png"), List.of("PCA"),
            List.<double[][]>of(new double[][] {new double[3]}), 2, 2));
    assertTrue(e.getMessage().contains("'PCA'") && e.getMessage().contains("3 values"), e.getMessage());
  }

  @Test
  void chartsRunHeadlessAndLeaveNoTemporaryFiles() throws IOException {
    Charts.digitRows(dir.resolve("d.png"), List.of("x"), List.<double[][]>of(new double[][] {{0.5}}), 1, 1);
    assertEquals("true", System.getProperty("java.awt.headless"));
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(List.of(dir.resolve("d.png")), files.toList());
    }
  }

  private static BufferedImage readPng(Path png) throws IOException {
    BufferedImage image = ImageIO.read(png.toFile());
    assertNotNull(image, png + " is not a readable PNG");
    return image;
  }

  private static boolean hasColour(BufferedImage image, int rgb) {
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        if ((image.getRGB(x, y) & 0xFFFFFF) == rgb) {
          return true;
        }
      }
    }
    return false;
  }

  /** Whether any pixel differs from the top-left one, i.e. the image is not a single flat colour. */
  private static boolean anyDiffers(BufferedImage image) {
    int corner = image.getRGB(0, 0);
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        if (image.getRGB(x, y) != corner) {
          return true;
        }
      }
    }
    return false;
  }
}
