package io.sparknn.nn.criterion;

/**
 * How a criterion reduces the per-row losses of a batch to one number, PyTorch's {@code reduction='mean'|'sum'}:
 * {@link #MEAN} over rows is Torch's default and what a model trained in one JVM minimises; {@link #SUM} is what a
 * Spark partition returns, so that the driver can add the partitions' sums and divide once by the global row
 * count. Each call to a criterion names its reduction; a criterion has no reduction setting of its own.
 */
public enum Reduction {
  MEAN,
  SUM;

  /** The factor a sum over {@code rows} rows is multiplied by: {@code 1 / max(1, rows)} for the mean, else 1. */
  public double scale(int rows) {
    return this == MEAN ? 1.0 / Math.max(1, rows) : 1.0;
  }
}
