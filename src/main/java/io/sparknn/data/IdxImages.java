package io.sparknn.data;

import java.util.Arrays;

/**
 * The content of an IDX image file: {@code count} images of {@code rows × cols} unsigned bytes, stored
 * image after image, each row-major, in one array of {@code count·rows·cols} bytes (the pixels are not
 * copied, so the array is shared with whoever built or read it). The constructor checks that the sizes are
 * positive and match the array.
 */
public record IdxImages(int count, int rows, int cols, byte[] pixels) {
  public IdxImages {
    if (count <= 0 || rows <= 0 || cols <= 0) {
      throw new IllegalArgumentException("images need positive count, rows and cols, got " + count + "x" + rows
          + "x" + cols);
    }
    if (pixels == null || pixels.length != (long) count * rows * cols) {
      throw new IllegalArgumentException("pixel array of length " + (pixels == null ? "null" : pixels.length)
          + " does not hold " + count + " images of " + rows + "x" + cols);
    }
  }

  /** Pixels per image, {@code rows·cols}: the feature count of the corresponding {@link Dataset}. */
  public int pixelsPerImage() {
    return rows * cols;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof IdxImages i && count == i.count && rows == i.rows && cols == i.cols
        && Arrays.equals(pixels, i.pixels);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * (31 * count + rows) + cols) + Arrays.hashCode(pixels);
  }

  @Override
  public String toString() {
    // The default would print tens of megabytes of pixels.
    return "IdxImages " + count + "x" + rows + "x" + cols;
  }
}
