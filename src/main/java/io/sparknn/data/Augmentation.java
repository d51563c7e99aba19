package io.sparknn.data;

import io.sparknn.tensor.Matrix;
import java.io.Serializable;
import java.util.SplittableRandom;

/**
 * Random affine jitter of a mini-batch of images, in place: each row of a batch {@link Matrix} is one
 * {@code height × width} image, row-major, values already scaled. Each image is rotated by an angle drawn
 * uniformly from {@code [−maxDegrees, maxDegrees]} about its centre (positive turns it counter-clockwise as
 * displayed, rows running downwards), then shifted by offsets drawn uniformly from
 * {@code [−maxShift, maxShift]} pixels in x and in y (sub-pixel: the rotation resamples anyway). Output
 * pixels are resampled bilinearly; samples outside the image take the {@code background} value, i.e. what a
 * 0 pixel becomes after scaling. Results are convex combinations, so they stay within the input's range
 * joined with the background. Each image consumes exactly three draws of the generator, so the output is a
 * function of the generator's state (seeded per (seed, iteration, partition) by the trainer). One scratch
 * image is allocated on first use and reused; an instance is therefore not thread-safe (use one per task),
 * and the scratch is not serialized.
 */
public final class Augmentation implements Serializable {
  private static final long serialVersionUID = 1L;

  private final int height;
  private final int width;
  private final double maxShift;
  private final double maxDegrees;
  private transient double[] scratch;

  public Augmentation(int height, int width, double maxShift, double maxDegrees) {
    if (height <= 0 || width <= 0 || (long) height * width > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("image size must be positive, got " + height + "x" + width);
    }
    if (!(maxShift >= 0) || !Double.isFinite(maxShift)) {
      throw new IllegalArgumentException("maxShift must be a finite number >= 0, got " + maxShift);
    }
    if (!(maxDegrees >= 0 && maxDegrees <= 180)) {
      throw new IllegalArgumentException("maxDegrees must be in [0, 180], got " + maxDegrees);
    }
    this.height = height;
    this.width = width;
    this.maxShift = maxShift;
    this.maxDegrees = maxDegrees;
  }

  /** Jitters rows {@code [fromRow, toRow)} of {@code batch}, each with its own draws from {@code rng}. */
  public void apply(Matrix batch, int fromRow, int toRow, SplittableRandom rng, double background) {
    checkBatch(batch);
    if (fromRow < 0 || toRow > batch.rows() || fromRow > toRow) {
      throw new IndexOutOfBoundsException("rows [" + fromRow + ", " + toRow + ") of a batch of " + batch.rows());
    }
    for (int r = fromRow; r < toRow; r++) {
      // Drawn in a fixed order whatever the limits, so a given generator state always yields the same images.
      double degrees = (2 * rng.nextDouble() - 1) * maxDegrees;
      double dx = (2 * rng.nextDouble() - 1) * maxShift;
      double dy = (2 * rng.nextDouble() - 1) * maxShift;
      transform(batch, r, dx, dy, degrees, background);
    }
  }

  /**
   * Rotates row {@code row} of {@code batch} by {@code degrees} about the image centre, then shifts it by
   * {@code dx} pixels right and {@code dy} pixels down: the deterministic step behind {@link #apply}.
   */
  public void transform(Matrix batch, int row, double dx, double dy, double degrees, double background) {
    checkBatch(batch);
    if (row < 0 || row >= batch.rows()) {
      throw new IndexOutOfBoundsException("row " + row + " of a batch of " + batch.rows());
    }
    if (!Double.isFinite(dx) || !Double.isFinite(dy) || !Double.isFinite(degrees)) {
      throw new IllegalArgumentException("shift and angle must be finite, got dx=" + dx + " dy=" + dy + " degrees="
          + degrees);
    }
    if (dx == 0 && dy == 0 && degrees == 0) {
      return;
    }
    int n = height * width;
    if (scratch == null) {
      scratch = new double[n];
    }
    double[] src = scratch;
    double[] data = batch.data();
    int base = batch.offset() + row * n;
    System.arraycopy(data, base, src, 0, n);
    double radians = Math.toRadians(degrees);
    double cos = Math.cos(radians);
    double sin = Math.sin(radians);
    double cx = (width - 1) / 2.0;
    double cy = (height - 1) / 2.0;
    // Inverse mapping: for each output pixel p find its source q = R(−θ)(p − c − d) + c, so every output
    // pixel is written exactly once and there are no holes.
    for (int y = 0; y < height; y++) {
      double ry = y - cy - dy;
      double rowX = -ry * sin + cx;
      double rowY = ry * cos + cy;
      for (int x = 0; x < width; x++) {
        double rx = x - cx - dx;
        double qx = rx * cos + rowX;
        double qy = rx * sin + rowY;
        data[base + y * width + x] = sample(src, qx, qy, background);
      }
    }
  }

  /** Bilinear sample of {@code src} at (qx, qy); neighbours outside the image count as {@code background}. */
  private double sample(double[] src, double qx, double qy, double background) {
    double fx0 = Math.floor(qx);
    double fy0 = Math.floor(qy);
    if (fx0 < -1 || fy0 < -1 || fx0 >= width || fy0 >= height) {
      return background;
    }
    int x0 = (int) fx0;
    int y0 = (int) fy0;
    double tx = qx - fx0;
    double ty = qy - fy0;
    double top = lerp(pixel(src, x0, y0, background), pixel(src, x0 + 1, y0, background), tx);
    double bottom = lerp(pixel(src, x0, y0 + 1, background), pixel(src, x0 + 1, y0 + 1, background), tx);
    return lerp(top, bottom, ty);
  }

  private double pixel(double[] src, int x, int y, double background) {
    return x < 0 || y < 0 || x >= width || y >= height ? background : src[y * width + x];
  }

  /** {@code a + t(b − a)}, clamped to [a, b] because rounding could otherwise step one ulp outside. */
  private static double lerp(double a, double b, double t) {
    if (t == 0) {
      return a;
    }
    double v = a + t * (b - a);
    return a <= b ? Math.min(Math.max(v, a), b) : Math.min(Math.max(v, b), a);
  }

  private void checkBatch(Matrix batch) {
    if (batch.cols() != height * width) {
      throw new IllegalArgumentException("a batch of " + height + "x" + width + " images needs " + height * width
          + " columns, got " + batch.shape());
    }
  }

  public int height() {
    return height;
  }

  public int width() {
    return width;
  }

  public double maxShift() {
    return maxShift;
  }

  public double maxDegrees() {
    return maxDegrees;
  }

  @Override
  public String toString() {
    return "Augmentation " + height + "x" + width + " shift ±" + maxShift + " px, rotation ±" + maxDegrees + "°";
  }
}
