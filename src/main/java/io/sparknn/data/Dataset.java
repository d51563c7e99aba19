package io.sparknn.data;

import io.sparknn.tensor.Matrix;
import java.io.Serializable;
import java.util.Arrays;

/**
 * A compact in-memory set of {@code rows} samples of {@code cols} features, with optional class labels: the
 * unit that is cached in each Spark partition and that {@code LocalTrainer} reads.
 *
 * <p>Features are stored raw, either as unsigned bytes (images: 47 MB for the 60,000 MNIST digits) or as
 * floats, never as per-row objects; a sample's feature value is {@code raw · scale + offset}, which is how
 * scaling to [0, 1] and standardisation cost nothing in memory. {@link #gather} copies chosen rows into a
 * {@code double} batch matrix in one tight loop. Instances are immutable.
 *
 * <p>Instead of class labels a data set may hold real-valued targets, {@code targetCols} float values per row
 * (regression), copied into a batch by {@link #gatherTargets}. A data set has labels, targets or neither.
 */
public final class Dataset implements Serializable {
  private static final long serialVersionUID = 1L;

  private final int rows;
  private final int cols;
  private final int classes;
  private final byte[] bytes;
  private final float[] floats;
  private final byte[] labels;
  private final float[] targets;
  private final int targetCols;
  private final double scale;
  private final double offset;

  private Dataset(int rows, int cols, int classes, byte[] bytes, float[] floats, byte[] labels, double scale,
      double offset) {
    this(rows, cols, classes, bytes, floats, labels, null, 0, scale, offset);
  }

  private Dataset(int rows, int cols, int classes, byte[] bytes, float[] floats, byte[] labels, float[] targets,
      int targetCols, double scale, double offset) {
    if (rows < 0 || cols <= 0) {
      throw new IllegalArgumentException("a data set needs rows >= 0 and cols > 0, got " + rows + "x" + cols);
    }
    long n = (long) rows * cols;
    if ((bytes != null ? bytes.length : floats.length) != n) {
      throw new IllegalArgumentException("feature array of length "
          + (bytes != null ? bytes.length : floats.length) + " does not hold " + rows + "x" + cols);
    }
    if (labels != null) {
      if (labels.length != rows) {
        throw new IllegalArgumentException(labels.length + " labels for " + rows + " rows");
      }
      for (int i = 0; i < rows; i++) {
        int l = labels[i] & 0xFF;
        if (l >= classes) {
          throw new IllegalArgumentException("label " + l + " at row " + i + " is outside [0, " + classes + ")");
        }
      }
    }
    if (targets != null && (labels != null || targetCols <= 0 || targets.length != (long) rows * targetCols)) {
      throw new IllegalArgumentException(labels != null ? "a data set holds labels or targets, not both"
          : targets.length + " target values do not hold " + rows + " rows of " + targetCols);
    }
    if (!Double.isFinite(scale) || !Double.isFinite(offset)) {
      throw new IllegalArgumentException("scale and offset must be finite, got " + scale + ", " + offset);
    }
    this.rows = rows;
    this.cols = cols;
    this.classes = classes;
    this.bytes = bytes;
    this.floats = floats;
    this.labels = labels;
    this.targets = targets;
    this.targetCols = targets == null ? 0 : targetCols;
    this.scale = scale;
    this.offset = offset;
  }

  /** Unsigned-byte features scaled to [0, 1]; {@code labels} (may be null) in {@code [0, classes)}. */
  public static Dataset ofBytes(byte[] pixels, byte[] labels, int rows, int cols, int classes) {
    return new Dataset(rows, cols, classes, pixels, null, labels, 1.0 / 255.0, 0.0);
  }

  /** Float features taken as they are; {@code labels} (may be null) in {@code [0, classes)}. */
  public static Dataset ofFloats(float[] values, byte[] labels, int rows, int cols, int classes) {
    return new Dataset(rows, cols, classes, null, values, labels, 1.0, 0.0);
  }

  /** Float features taken as they are, with {@code targetCols} real-valued targets per row (row-major). */
  public static Dataset ofFloatTargets(float[] values, float[] targets, int rows, int cols, int targetCols) {
    if (targets == null) {
      throw new IllegalArgumentException("targets must be given");
    }
    return new Dataset(rows, cols, 0, null, values, null, targets, targetCols, 1.0, 0.0);
  }

  /** The same data with features {@code (x − mean) / std}, where {@code x} is the current feature value. */
  public Dataset standardized(double mean, double std) {
    if (!(std > 0)) {
      throw new IllegalArgumentException("standardisation needs std > 0, got " + std);
    }
    return new Dataset(rows, cols, classes, bytes, floats, labels, targets, targetCols, scale / std,
        (offset - mean) / std);
  }

  /** The rows at {@code index[from..to)}, in that order, as a new data set sharing nothing. */
  public Dataset subset(int[] index, int from, int to) {
    int n = to - from;
    byte[] l = labels == null ? null : new byte[n];
    float[] t = targets == null ? null : new float[n * targetCols];
    for (int i = 0; t != null && i < n; i++) {
      System.arraycopy(targets, index[from + i] * targetCols, t, i * targetCols, targetCols);
    }
    if (bytes != null) {
      byte[] b = new byte[n * cols];
      for (int i = 0; i < n; i++) {
        System.arraycopy(bytes, index[from + i] * cols, b, i * cols, cols);
        if (l != null) {
          l[i] = labels[index[from + i]];
        }
      }
      return new Dataset(n, cols, classes, b, null, l, t, targetCols, scale, offset);
    }
    float[] f = new float[n * cols];
    for (int i = 0; i < n; i++) {
      System.arraycopy(floats, index[from + i] * cols, f, i * cols, cols);
      if (l != null) {
        l[i] = labels[index[from + i]];
      }
    }
    return new Dataset(n, cols, classes, null, f, l, t, targetCols, scale, offset);
  }

  /** Rows {@code [from, to)} as a new data set. */
  public Dataset slice(int from, int to) {
    int[] index = new int[to - from];
    for (int i = 0; i < index.length; i++) {
      index[i] = from + i;
    }
    return subset(index, 0, index.length);
  }

  /**
   * Writes the features of rows {@code index[from..to)} into rows {@code [0, to − from)} of {@code out}
   * (which must have {@code cols} columns and room for them), and their labels into
   * {@code labelsOut[labelsOffset..]} when {@code labelsOut} is not null.
   */
  public void gather(int[] index, int from, int to, Matrix out, int[] labelsOut, int labelsOffset) {
    if (out.cols() != cols || out.rows() < to - from) {
      throw new IllegalArgumentException("cannot gather " + (to - from) + " rows of width " + cols + " into "
          + out.shape());
    }
    double[] o = out.data();
    for (int i = 0; i < to - from; i++) {
      int src = index[from + i] * cols;
      int dst = out.offset() + i * cols;
      if (bytes != null) {
        for (int c = 0; c < cols; c++) {
          o[dst + c] = (bytes[src + c] & 0xFF) * scale + offset;
        }
      } else {
        for (int c = 0; c < cols; c++) {
          o[dst + c] = floats[src + c] * scale + offset;
        }
      }
    }
    if (labelsOut != null) {
      requireLabels();
      for (int i = 0; i < to - from; i++) {
        labelsOut[labelsOffset + i] = labels[index[from + i]] & 0xFF;
      }
    }
  }

  /**
   * Writes the targets of rows {@code index[from..to)} into rows {@code [0, to − from)} of {@code out}, which
   * must have {@link #targetCols()} columns and room for them.
   */
  public void gatherTargets(int[] index, int from, int to, Matrix out) {
    if (targets == null) {
      throw new IllegalStateException("this data set has no targets");
    }
    if (out.cols() != targetCols || out.rows() < to - from) {
      throw new IllegalArgumentException("cannot gather " + (to - from) + " rows of " + targetCols
          + " targets into " + out.shape());
    }
    double[] o = out.data();
    for (int i = 0; i < to - from; i++) {
      int src = index[from + i] * targetCols;
      int dst = out.offset() + i * targetCols;
      for (int c = 0; c < targetCols; c++) {
        o[dst + c] = targets[src + c];
      }
    }
  }

  /** Writes rows {@code [from, to)} into {@code out} (and their labels), in order. */
  public void gatherRange(int from, int to, Matrix out, int[] labelsOut, int labelsOffset) {
    int[] index = new int[to - from];
    for (int i = 0; i < index.length; i++) {
      index[i] = from + i;
    }
    gather(index, 0, index.length, out, labelsOut, labelsOffset);
  }

  /** The feature value at (row, col), scaled. */
  public double feature(int row, int col) {
    int i = row * cols + col;
    return (bytes != null ? (bytes[i] & 0xFF) : floats[i]) * scale + offset;
  }

  /** The feature value a raw 0 takes after scaling: the background of an image. */
  public double zeroValue() {
    return offset;
  }

  /** The class of {@code row}. */
  public int label(int row) {
    requireLabels();
    return labels[row] & 0xFF;
  }

  /** Mean and standard deviation of all feature values (as currently scaled). */
  public double[] meanAndStd() {
    double sum = 0;
    double sumSq = 0;
    long n = (long) rows * cols;
    for (long i = 0; i < n; i++) {
      double v = (bytes != null ? (bytes[(int) i] & 0xFF) : floats[(int) i]) * scale + offset;
      sum += v;
      sumSq += v * v;
    }
    double mean = n == 0 ? 0 : sum / n;
    double var = n == 0 ? 0 : Math.max(0, sumSq / n - mean * mean);
    return new double[] {mean, Math.sqrt(var)};
  }

  /** Count of each class, indexed by class. */
  public long[] classCounts() {
    requireLabels();
    long[] counts = new long[classes];
    for (byte l : labels) {
      counts[l & 0xFF]++;
    }
    return counts;
  }

  private void requireLabels() {
    if (labels == null) {
      throw new IllegalStateException("this data set has no labels");
    }
  }

  public int rows() {
    return rows;
  }

  public int cols() {
    return cols;
  }

  public int classes() {
    return classes;
  }

  public boolean hasLabels() {
    return labels != null;
  }

  public boolean hasTargets() {
    return targets != null;
  }

  /** Real-valued targets per row (0 without targets). */
  public int targetCols() {
    return targetCols;
  }

  @Override
  public String toString() {
    return "Dataset " + rows + "x" + cols + (labels != null ? ", " + classes + " classes" : "")
        + (targets != null ? ", " + targetCols + " targets" : "")
        + (bytes != null ? ", uint8" : ", float32");
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Dataset d)) {
      return false;
    }
    return rows == d.rows && cols == d.cols && classes == d.classes && scale == d.scale && offset == d.offset
        && Arrays.equals(bytes, d.bytes) && Arrays.equals(floats, d.floats) && Arrays.equals(labels, d.labels)
        && targetCols == d.targetCols && Arrays.equals(targets, d.targets);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * rows + cols) + Arrays.hashCode(labels);
  }
}
