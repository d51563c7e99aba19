package io.sparknn.nn.criterion;

import io.sparknn.tensor.Matrix;

/**
 * Squared error summed over features and averaged over rows, as the homework defines it:
 * {@code loss = Σ (x − t)² / batch}; gradient {@code 2 (x − t) / batch} ({@link Reduction#SUM} leaves out the
 * {@code / batch}). (Torch's MSECriterion also averages over features; the homework's and the autoencoder
 * experiment's figures use this per-sample sum.)
 */
public final class MSECriterion extends Criterion {
  @Override
  protected double updateOutput(Matrix input, Matrix target, Reduction reduction) {
    double[] x = input.data();
    double[] t = target.data();
    int xo = input.offset();
    int to = target.offset();
    double sum = 0;
    for (int i = 0; i < input.size(); i++) {
      double d = x[xo + i] - t[to + i];
      sum += d * d;
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
    double scale = 2.0 * reduction.scale(input.rows());
    for (int i = 0; i < input.size(); i++) {
      g[go + i] = scale * (x[xo + i] - t[to + i]);
    }
    return gin;
  }
}
