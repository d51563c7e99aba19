package io.sparknn.nn.criterion;

import io.sparknn.tensor.Matrix;

/**
 * A loss function of a model's output and a target: Torch's {@code nn.Criterion}.
 *
 * <p>{@link #forward} returns and stores the loss; {@link #backward} returns and stores its gradient w.r.t. the
 * input. Criterions are the only place that divides by the batch size: with {@link #sizeAverage()} on (the
 * default, as in the seed) the loss is a mean over rows; off, it is the sum, which is what Spark executors
 * compute so the driver can divide once by the global batch size. Targets are matrices of the input's shape
 * (one-hot for classification) or, through {@link #forward(Matrix, int[])}, class indices.
 */
public abstract class Criterion {
  protected double output;
  protected Matrix gradInput;
  private boolean sizeAverage = true;
  private Matrix oneHot;

  /** The loss of {@code input} against {@code target} (same shape); stored as {@link #output()}. */
  public final double forward(Matrix input, Matrix target) {
    requireSameShape(input, target);
    output = updateOutput(input, target);
    return output;
  }

  /** The gradient of the loss w.r.t. {@code input}; stored as {@link #gradInput()}. */
  public final Matrix backward(Matrix input, Matrix target) {
    requireSameShape(input, target);
    gradInput = updateGradInput(input, target);
    return gradInput;
  }

  /**
   * The loss against class indices, {@code classes[r]} in {@code [0, input.cols())} for each row {@code r};
   * entries past {@code input.rows()} are ignored, so a reused, longer buffer may be passed.
   */
  public double forward(Matrix input, int[] classes) {
    return forward(input, oneHot(input, classes));
  }

  /** The input gradient against class indices. */
  public Matrix backward(Matrix input, int[] classes) {
    return backward(input, oneHot(input, classes));
  }

  protected abstract double updateOutput(Matrix input, Matrix target);

  protected abstract Matrix updateGradInput(Matrix input, Matrix target);

  /** Whether the loss is averaged over rows (true, the default) or summed. */
  public boolean sizeAverage() {
    return sizeAverage;
  }

  /** Sets whether the loss is averaged over rows or summed; returns this. */
  public Criterion sizeAverage(boolean average) {
    this.sizeAverage = average;
    return this;
  }

  /** {@code 1 / rows} when averaging, else 1. */
  protected final double normalizer(Matrix input) {
    return sizeAverage ? 1.0 / Math.max(1, input.rows()) : 1.0;
  }

  public double output() {
    return output;
  }

  public Matrix gradInput() {
    return gradInput;
  }

  private Matrix oneHot(Matrix input, int[] classes) {
    requireClasses(input, classes);
    oneHot = Matrix.reuse(oneHot, input.rows(), input.cols()).fill(0.0);
    for (int r = 0; r < input.rows(); r++) {
      oneHot.set(r, classes[r], 1.0);
    }
    return oneHot;
  }

  /** Checks that there is one class index in range per row, naming this criterion otherwise. */
  protected final void requireClasses(Matrix input, int[] classes) {
    if (classes.length < input.rows()) {
      throw new IllegalArgumentException(this + ": " + classes.length + " class indices for " + input.rows()
          + " input rows");
    }
    for (int r = 0; r < input.rows(); r++) {
      if (classes[r] < 0 || classes[r] >= input.cols()) {
        throw new IllegalArgumentException(this + ": class index " + classes[r] + " at row " + r
            + " is outside [0, " + input.cols() + ")");
      }
    }
  }

  private void requireSameShape(Matrix input, Matrix target) {
    if (input.rows() != target.rows() || input.cols() != target.cols()) {
      throw new IllegalArgumentException(this + ": target of shape " + target.shape()
          + " does not match input of shape " + input.shape());
    }
  }

  @Override
  public String toString() {
    return getClass().getSimpleName();
  }
}
