package io.sparknn.nn;

import java.io.Serializable;
import java.util.List;

/**
 * The shape of one row of a layer's input or output: {@code [features]} for a flat row, or
 * {@code [channels, height, width]} for an image stored channel after channel, row-major (PyTorch's NCHW for one
 * sample). Rows are always flat arrays; a shape only says how a layer reads them, so reshaping is free.
 *
 * @param dims the sizes, outermost first (each positive)
 */
public record Shape(List<Integer> dims) implements Serializable {
  public Shape {
    if (dims == null || dims.isEmpty()) {
      throw new IllegalArgumentException("a shape needs at least one size");
    }
    dims = List.copyOf(dims);
    long n = 1;
    for (int d : dims) {
      if (d <= 0) {
        throw new IllegalArgumentException("shape " + dims + ": every size must be positive");
      }
      n *= d;
      if (n > Integer.MAX_VALUE - 8) {
        throw new IllegalArgumentException("shape " + dims + " holds more values than one row can");
      }
    }
  }

  /** A flat row of {@code features} values. */
  public static Shape flat(long features) {
    if (features <= 0 || features > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("a row of " + features + " features");
    }
    return new Shape(List.of((int) features));
  }

  /** An image of {@code channels × height × width}. */
  public static Shape image(int channels, int height, int width) {
    return new Shape(List.of(channels, height, width));
  }

  /** The number of values in a row: the product of the sizes. */
  public int features() {
    int n = 1;
    for (int d : dims) {
      n *= d;
    }
    return n;
  }

  /** Whether this is {@code [channels, height, width]}. */
  public boolean isImage() {
    return dims.size() == 3;
  }

  /** Size {@code i}, outermost first. */
  public int dim(int i) {
    return dims.get(i);
  }

  @Override
  public String toString() {
    return dims.toString();
  }
}
