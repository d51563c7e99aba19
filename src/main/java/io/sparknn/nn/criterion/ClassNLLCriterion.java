package io.sparknn.nn.criterion;

import io.sparknn.tensor.Matrix;

/**
 * Negative log-likelihood of <em>probabilities</em> (the output of {@code SoftMax}), as the homework defines it:
 * {@code loss = −Σ t · log(clamp(p)) / batch} with {@code p} clamped to {@code [1e-15, 1 − 1e-15]} so that a
 * confident mistake gives a large but finite loss; gradient {@code −t / clamp(p) / batch} ({@link Reduction#SUM}
 * leaves out the {@code / batch}). For log-probabilities from {@code LogSoftMax} use
 * {@link LogClassNLLCriterion}.
 */
public final class ClassNLLCriterion extends Criterion {
  public static final double EPS = 1e-15;

  private static double clamp(double p) {
    return Math.min(Math.max(p, EPS), 1 - EPS);
  }

  @Override
  protected double updateOutput(Matrix input, Matrix target, Reduction reduction) {
    double[] x = input.data();
    double[] t = target.data();
    int xo = input.offset();
    int to = target.offset();
    double sum = 0;
    for (int i = 0; i < input.size(); i++) {
      double ti = t[to + i];
      if (ti != 0) {
        sum -= ti * Math.log(clamp(x[xo + i]));
      }
    }
    return sum * reduction.scale(input.rows());
  }

  @Override
  protected Matrix updateGradInput(Matrix input, Matrix target, Reduction reduction) {
    Matrix gin = Matrix.reuse(gradInput, input.rows(), input.cols());
    double[] x = input.data();
    double[] t = target.data();
    double[] g = gin.data();
    int xo = input.offset();
    int to = target.offset();
    int go = gin.offset();
    double scale = reduction.scale(input.rows());
    for (int i = 0; i < input.size(); i++) {
      g[go + i] = -scale * t[to + i] / clamp(x[xo + i]);
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
      sum -= Math.log(clamp(x[input.offset() + r * cols + classes[r]]));
    }
    output = sum * reduction.scale(input.rows());
    return output;
  }

  @Override
  public Matrix backward(Matrix input, int[] classes, Reduction reduction) {
    requireClasses(input, classes);
    Matrix gin = Matrix.reuse(gradInput, input.rows(), input.cols()).fill(0.0);
    double[] x = input.data();
    double[] g = gin.data();
    int cols = input.cols();
    double scale = reduction.scale(input.rows());
    for (int r = 0; r < input.rows(); r++) {
      g[gin.offset() + r * cols + classes[r]] = -scale / clamp(x[input.offset() + r * cols + classes[r]]);
    }
    gradInput = gin;
    return gin;
  }
}
