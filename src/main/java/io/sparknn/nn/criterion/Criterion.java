package io.sparknn.nn.criterion;

import io.sparknn.tensor.Matrix;

/**
 * A loss function of a model's output and a target: Torch's {@code nn.Criterion}.
 *
 * <p>{@link #forward} returns and stores the loss; {@link #backward} returns and stores its gradient w.r.t. the
 * input. Criteria are the only place that divides by the batch size, and each call says whether to
 * ({@link Reduction}): the two-argument calls give the mean over rows (Torch's default), the calls taking a
 * {@link Reduction#SUM} give the sum, which is what Spark executors compute so the driver can divide once by
 * the global batch size. Targets are matrices of the input's shape (one-hot for classification) or, through
 * {@link #forward(Matrix, int[])}, class indices.
 */
public abstract class Criterion {
  protected double output;
  protected Matrix gradInput;
  private Matrix oneHot;

  /** The mean loss of {@code input} against {@code target} (same shape); stored as {@link #output()}. */
  public final double forward(Matrix input, Matrix target) {
    return forward(input, target, Reduction.MEAN);
  }

  /** The loss of {@code input} against {@code target}, reduced over rows as asked; stored as {@link #output()}. */
  public final double forward(Matrix input, Matrix target, Reduction reduction) {
    requireSameShape(input, target);
    output = updateOutput(input, target, reduction);
    return output;
  }

  /** The gradient of the mean loss w.r.t. {@code input}; stored as {@link #gradInput()}. */
  public final Matrix backward(Matrix input, Matrix target) {
    return backward(input, target, Reduction.MEAN);
  }

  /** The gradient w.r.t. {@code input} of the loss reduced as asked; stored as {@link #gradInput()}. */
  public final Matrix backward(Matrix input, Matrix target, Reduction reduction) {
    requireSameShape(input, target);
    gradInput = updateGradInput(input, target, reduction);
    return gradInput;
  }

  /**
   * The mean loss against class indices, {@code classes[r]} in {@code [0, input.cols())} for each row {@code r};
   * entries past {@code input.rows()} are ignored, so a reused, longer buffer may be passed.
   */
  public final double forward(Matrix input, int[] classes) {
    return forward(input, classes, Reduction.MEAN);
  }

  /** The loss against class indices, reduced over rows as asked. */
  public double forward(Matrix input, int[] classes, Reduction reduction) {
    return forward(input, oneHot(input, classes), reduction);
  }

  /** The input gradient of the mean loss against class indices. */
  public final Matrix backward(Matrix input, int[] classes) {
    return backward(input, classes, Reduction.MEAN);
  }

  /** The input gradient against class indices of the loss reduced as asked. */
  public Matrix backward(Matrix input, int[] classes, Reduction reduction) {
    return backward(input, oneHot(input, classes), reduction);
  }

  /** The loss, multiplied by {@code reduction.scale(input.rows())}. */
  protected abstract double updateOutput(Matrix input, Matrix target, Reduction reduction);

  /** The input gradient, multiplied by {@code reduction.scale(input.rows())}. */
  protected abstract Matrix updateGradInput(Matrix input, Matrix target, Reduction reduction);

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
