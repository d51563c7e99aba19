package io.sparknn.nn;

import io.sparknn.tensor.Matrix;

/**
 * Row-wise softmax, {@code y_ij = exp(x_ij − max_j x_ij) / Σ_k exp(x_ik − max_j x_ij)}: subtracting the row
 * maximum keeps it finite for any finite input. Backward: {@code gradInput = y ⊙ (g − Σ_k g_k y_k)} per row.
 */
public final class SoftMax extends Module {
  /** {@code {type: SoftMax}}: no options. */
  public static final LayerType TYPE = LayerType.of("SoftMax", SoftMax.class, SoftMax::new);

  @Override
  public Matrix updateOutput(Matrix input) {
    int rows = input.rows();
    int cols = input.cols();
    Matrix out = Matrix.reuse(output, rows, cols);
    double[] x = input.data();
    double[] y = out.data();
    for (int r = 0; r < rows; r++) {
      int xi = input.offset() + r * cols;
      int yi = out.offset() + r * cols;
      double max = Double.NEGATIVE_INFINITY;
      for (int c = 0; c < cols; c++) {
        max = Math.max(max, x[xi + c]);
      }
      double sum = 0;
      for (int c = 0; c < cols; c++) {
        double e = Math.exp(x[xi + c] - max);
        y[yi + c] = e;
        sum += e;
      }
      double inv = 1.0 / sum;
      for (int c = 0; c < cols; c++) {
        y[yi + c] *= inv;
      }
    }
    return out;
  }

  @Override
  public Matrix updateGradInput(Matrix input, Matrix gradOutput) {
    requireGradShape(gradOutput, input);
    int rows = input.rows();
    int cols = input.cols();
    Matrix gin = Matrix.reuse(gradInput, rows, cols);
    double[] y = output.data();
    double[] g = gradOutput.data();
    double[] gi = gin.data();
    for (int r = 0; r < rows; r++) {
      int yi = output.offset() + r * cols;
      int gg = gradOutput.offset() + r * cols;
      int o = gin.offset() + r * cols;
      double dot = 0;
      for (int c = 0; c < cols; c++) {
        dot += g[gg + c] * y[yi + c];
      }
      for (int c = 0; c < cols; c++) {
        gi[o + c] = y[yi + c] * (g[gg + c] - dot);
      }
    }
    return gin;
  }
}
