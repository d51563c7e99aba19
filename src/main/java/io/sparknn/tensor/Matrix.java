package io.sparknn.tensor;

/**
 * A dense, row-major {@code rows × cols} view over a {@code double[]}, starting at {@code offset}.
 *
 * <p>Every tensor in sparknn is a batch of rows ({@code batch × features}); a layer's weights are a
 * {@code Matrix} over a slice of the model's one flat parameter array. A view never copies: writes through
 * {@link #set} land in the shared array. Row {@code r} starts at {@code offset + r * cols}, so the leading
 * dimension is always {@code cols}.
 */
public final class Matrix {
  private final double[] data;
  private final int offset;
  private final int rows;
  private final int cols;

  /** A new zero matrix. */
  public Matrix(int rows, int cols) {
    this(new double[checkedSize(rows, cols)], 0, rows, cols);
  }

  /** A view of {@code rows × cols} values of {@code data} starting at {@code offset}. */
  public Matrix(double[] data, int offset, int rows, int cols) {
    if (rows < 0 || cols < 0) {
      throw new IllegalArgumentException("negative shape " + rows + "x" + cols);
    }
    if (offset < 0 || (long) offset + (long) rows * cols > data.length) {
      throw new IllegalArgumentException("view " + rows + "x" + cols + " at offset " + offset
          + " does not fit in an array of " + data.length);
    }
    this.data = data;
    this.offset = offset;
    this.rows = rows;
    this.cols = cols;
  }

  /** A view of the whole of {@code data} as {@code rows × cols}; the length must match exactly. */
  public static Matrix wrap(double[] data, int rows, int cols) {
    if ((long) rows * cols != data.length) {
      throw new IllegalArgumentException("cannot wrap an array of " + data.length + " as " + rows + "x" + cols);
    }
    return new Matrix(data, 0, rows, cols);
  }

  /**
   * {@code buffer} if it already has this shape, else a view of this shape over its array when it is large
   * enough, else a new matrix: lets modules reuse their output buffers across iterations of any batch size.
   */
  public static Matrix reuse(Matrix buffer, int rows, int cols) {
    if (buffer != null) {
      if (buffer.rows == rows && buffer.cols == cols) {
        return buffer;
      }
      if (buffer.offset == 0 && (long) rows * cols <= buffer.data.length) {
        return new Matrix(buffer.data, 0, rows, cols);
      }
    }
    return new Matrix(rows, cols);
  }

  private static int checkedSize(int rows, int cols) {
    long n = (long) rows * cols;
    if (rows < 0 || cols < 0 || n > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("cannot allocate a " + rows + "x" + cols + " matrix");
    }
    return (int) n;
  }

  public int rows() {
    return rows;
  }

  public int cols() {
    return cols;
  }

  /** Number of elements, {@code rows * cols}. */
  public int size() {
    return rows * cols;
  }

  /** The backing array (shared, not a copy). */
  public double[] data() {
    return data;
  }

  /** Index of element (0, 0) in {@link #data()}. */
  public int offset() {
    return offset;
  }

  public double get(int r, int c) {
    return data[index(r, c)];
  }

  public void set(int r, int c, double v) {
    data[index(r, c)] = v;
  }

  private int index(int r, int c) {
    if (r < 0 || r >= rows || c < 0 || c >= cols) {
      throw new IndexOutOfBoundsException("(" + r + ", " + c + ") outside " + rows + "x" + cols);
    }
    return offset + r * cols + c;
  }

  /** A view of rows {@code [from, to)} sharing this matrix's array. */
  public Matrix rowRange(int from, int to) {
    if (from < 0 || to > rows || from > to) {
      throw new IndexOutOfBoundsException("rows [" + from + ", " + to + ") of " + rows);
    }
    return new Matrix(data, offset + from * cols, to - from, cols);
  }

  /** Sets every element to {@code v}. */
  public Matrix fill(double v) {
    java.util.Arrays.fill(data, offset, offset + rows * cols, v);
    return this;
  }

  /** Copies {@code src} (same shape) into this matrix. */
  public Matrix copyFrom(Matrix src) {
    requireSameShape(src, "copyFrom");
    System.arraycopy(src.data, src.offset, data, offset, rows * cols);
    return this;
  }

  /** A new matrix with its own array holding the same values. */
  public Matrix copy() {
    return new Matrix(rows, cols).copyFrom(this);
  }

  /** The values as a new array, row-major. */
  public double[] toArray() {
    return java.util.Arrays.copyOfRange(data, offset, offset + rows * cols);
  }

  /** Throws {@link IllegalArgumentException} naming {@code what} when {@code other}'s shape differs. */
  public void requireSameShape(Matrix other, String what) {
    if (other.rows != rows || other.cols != cols) {
      throw new IllegalArgumentException(what + ": expected shape " + shape() + " but got " + other.shape());
    }
  }

  /** The shape as {@code "rows x cols"}. */
  public String shape() {
    return rows + "x" + cols;
  }

  @Override
  public String toString() {
    return "Matrix " + shape();
  }
}
