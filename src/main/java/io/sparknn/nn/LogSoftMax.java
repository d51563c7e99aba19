package io.sparknn.nn;

import io.sparknn.tensor.Matrix;

/**
 * Row-wise log-softmax, {@code y_ij = x_ij − max − log Σ_k exp(x_ik − max)}; finite for any finite input.
 * Backward: {@code gradInput = g − exp(y) · Σ_k g_k} per row.
 */
public final class LogSoftMax extends Module {
  /** {@code {type: LogSoftMax}}: no options. */
  public static final LayerType TYPE = LayerType.of("LogSoftMax", LogSoftMax.class, LogSoftMax::new);

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
        sum += Math.exp(x[xi + c] - max);
      }
      double shift = max + Math.log(sum);
      for (int c = 0; c < cols; c++) {
        y[yi + c] = x[xi + c] - shift;
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
      double sum = 0;
      for (int c = 0; c < cols; c++) {
        sum += g[gg + c];
      }
      for (int c = 0; c < cols; c++) {
        gi[o + c] = g[gg + c] - Math.exp(y[yi + c]) * sum;
      }
    }
    return gin;
  }
}
