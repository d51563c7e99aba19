package io.sparknn.nn.criterion;

import io.sparknn.tensor.Matrix;

/**
 * Negative log-likelihood of <em>log-probabilities</em> (the output of {@code LogSoftMax}), Torch's
 * {@code ClassNLLCriterion}: {@code loss = −Σ t · x / batch}; gradient {@code −t / batch} ({@link Reduction#SUM}
 * leaves out the {@code / batch}). Numerically the stable choice: no clamp is needed because no logarithm is
 * taken here.
 */
public final class LogClassNLLCriterion extends Criterion {
  @Override
  protected double updateOutput(Matrix input, Matrix target, Reduction reduction) {
    double[] x = input.data();
    double[] t = target.data();
    int xo = input.offset();
    int to = target.offset();
    double sum = 0;
    for (int i = 0; i < input.size(); i++) {
      sum -= t[to + i] * x[xo + i];
    }
    return sum * reduction.scale(input.rows());
  }

  @Override
  protected Matrix updateGradInput(Matrix input, Matrix target, Reduction reduction) {
    Matrix gin = Matrix.reuse(gradInput, input.rows(), input.cols());
    double[] t = target.data();
    double[] g = gin.data();
    int to = target.offset();
    int go = gin.offset();
    double scale = -reduction.scale(input.rows());
    for (int i = 0; i < input.size(); i++) {
      g[go + i] = scale * t[to + i];
    }
    return gin;
  }

  @Override
  public double forward(Matrix input, int[] classes, Reduction reduction) {
    requireClasses(input, classes);
    double[] x = input.data();
    int cols = input.cols();
    double sum = 0;
    for (int r = 0; r < input.rows(); r++) {
      sum -= x[input.offset() + r * cols + classes[r]];
    }
    output = sum * reduction.scale(input.rows());
    return output;
  }

  @Override
  public Matrix backward(Matrix input, int[] classes, Reduction reduction) {
    requireClasses(input, classes);
    Matrix gin = Matrix.reuse(gradInput, input.rows(), input.cols()).fill(0.0);
    double[] g = gin.data();
    int cols = input.cols();
    double scale = -reduction.scale(input.rows());
    for (int r = 0; r < input.rows(); r++) {
      g[gin.offset() + r * cols + classes[r]] = scale;
    }
    gradInput = gin;
    return gin;
  }
}
