package io.sparknn.nn.criterion;

import io.sparknn.tensor.Matrix;

/**
 * Squared error summed over features and averaged over rows, as the seed defines it:
 * {@code loss = Σ (x − t)² / batch}; gradient {@code 2 (x − t) / batch}. (Torch's MSECriterion also averages
 * over features; the seed's and the autoencoder experiment's figures use this per-sample sum.)
 */
public final class MSECriterion extends Criterion {
  @Override
  protected double updateOutput(Matrix input, Matrix target) {
    double[] x = input.data();
    double[] t = target.data();
    int xo = input.offset();
    int to = target.offset();
    double sum = 0;
    for (int i = 0; i < input.size(); i++) {
      double d = x[xo + i] - t[to + i];
      sum += d * d;
    }
    return sum * normalizer(input);
  }

  @Override
  protected Matrix updateGradInput(Matrix input, Matrix target) {
    Matrix gin = Matrix.reuse(gradInput, input.rows(), input.cols());
    double[] x = input.data();
    double[] t = target.data();
    double[] g = gin.data();
    int xo = input.offset();
    int to = target.offset();
    int go = gin.offset();
    double scale = 2.0 * normalizer(input);
    for (int i = 0; i < input.size(); i++) {
      g[go + i] = scale * (x[xo + i] - t[to + i]);
    }
    return gin;
  }
}
