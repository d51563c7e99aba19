package io.sparknn.report;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** Blank canvases for the java.awt plots and the one way they become PNG files (atomically). */
final class Png {
  /** The text face for every hand-drawn plot; a logical font, so it exists on any headless JVM. */
  static final String FONT = Font.SANS_SERIF;

  static {
    Headless.ensure();
  }

  private Png() {}

  /** A white {@code width × height} RGB image. */
  static BufferedImage canvas(int width, int height) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, width, height);
    g.dispose();
    return image;
  }

  /** Graphics with anti-aliased text and shapes; the caller disposes it. */
  static Graphics2D graphics(BufferedImage image) {
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setFont(new Font(FONT, Font.PLAIN, 13));
    g.setColor(Color.BLACK);
    return g;
  }

  static void write(Path png, BufferedImage image) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try {
      if (!ImageIO.write(image, "png", bytes)) {
        throw new IllegalStateException("this JVM has no PNG writer");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not encode PNG for " + png + ": " + e.getMessage(), e);
    }
    AtomicFiles.write(png, bytes.toByteArray());
  }
}
