package io.sparknn.nn;

import io.sparknn.tensor.Matrix;
import java.util.Arrays;
import java.util.List;

/**
 * Subtracts the per-feature batch mean, as the homework specifies: in training {@code y = x − mean_batch(x)} and
 * the running mean becomes {@code running · alpha + mean_batch · (1 − alpha)}; in evaluation
 * {@code y = x − running}. The running mean (state, not a parameter) starts at zero and its width is fixed by
 * the first batch, or up front when the width is given.
 *
 * <p>Backward in training: {@code gradInput = g − mean_batch(g)} (each input also moves the mean); in
 * evaluation the gradient passes through unchanged.
 */
public final class BatchMeanSubtraction extends Module {
  private static final LayerOption<Double> ALPHA = LayerOption.number("alpha", 0.9);

  /**
   * {@code {type: BatchMeanSubtraction, in: 196, alpha: 0.9}}: {@code in} defaults to the previous layer's width,
   * the running-mean factor {@code alpha} to 0.9.
   */
  public static final LayerType TYPE = LayerType.of("BatchMeanSubtraction", BatchMeanSubtraction.class,
      List.of(LayerOption.IN, ALPHA),
      (spec, width) -> new BatchMeanSubtraction(LayerType.inputWidth("BatchMeanSubtraction", spec, width),
          ALPHA.of(spec)),
      m -> LayerSpec.of("BatchMeanSubtraction").with("in", m.features()).with("alpha", m.alpha()),
      (spec, width) -> new LayerType.Size(0, spec.in() != null ? spec.in() : width, width));

  private final int features;
  private final double alpha;
  private double[] mean = new double[0];

  /** For {@code features} inputs, with running-mean factor {@code alpha} in [0, 1). */
  public BatchMeanSubtraction(int features, double alpha) {
    if (features <= 0) {
      throw new IllegalArgumentException("BatchMeanSubtraction needs a positive width, got " + features);
    }
    if (!(alpha >= 0 && alpha < 1)) {
      throw new IllegalArgumentException("BatchMeanSubtraction alpha must be in [0, 1), got " + alpha);
    }
    this.features = features;
    this.alpha = alpha;
    allocateOwnStorage();
  }

  public double alpha() {
    return alpha;
  }

  public int features() {
    return features;
  }

  @Override
  public int stateCount() {
    return features;
  }

  @Override
  public int outputSize(int inputSize) {
    if (inputSize != -1 && inputSize != features) {
      throw new IllegalArgumentException(this + " takes " + features + " inputs but would get " + inputSize);
    }
    return features;
  }

  @Override
  public void reset(long seed) {
    Arrays.fill(state(), stateOffset(), stateOffset() + features, 0.0);
  }

  @Override
  public Matrix updateOutput(Matrix input) {
    requireInputWidth(input, features);
    int rows = input.rows();
    Matrix out = Matrix.reuse(output, rows, features);
    double[] running = state();
    int so = stateOffset();
    double[] m;
    int mo;
    if (isTraining()) {
      if (mean.length != features) {
        mean = new double[features];
      }
      columnMeans(input, mean);
      for (int c = 0; c < features; c++) {
        running[so + c] = running[so + c] * alpha + mean[c] * (1 - alpha);
      }
      m = mean;
      mo = 0;
    } else {
      m = running;
      mo = so;
    }
    double[] x = input.data();
    double[] y = out.data();
    for (int r = 0; r < rows; r++) {
      int xi = input.offset() + r * features;
      int yi = out.offset() + r * features;
      for (int c = 0; c < features; c++) {
        y[yi + c] = x[xi + c] - m[mo + c];
      }
    }
    return out;
  }

  @Override
  public Matrix updateGradInput(Matrix input, Matrix gradOutput) {
    requireGradShape(gradOutput, input);
    Matrix gin = Matrix.reuse(gradInput, input.rows(), features);
    gin.copyFrom(gradOutput);
    if (isTraining()) {
      if (mean.length != features) {
        mean = new double[features];
      }
      columnMeans(gradOutput, mean);
      double[] gi = gin.data();
      for (int r = 0; r < input.rows(); r++) {
        int o = gin.offset() + r * features;
        for (int c = 0; c < features; c++) {
          gi[o + c] -= mean[c];
        }
      }
    }
    return gin;
  }

  static void columnMeans(Matrix m, double[] out) {
    int cols = m.cols();
    Arrays.fill(out, 0, cols, 0.0);
    double[] d = m.data();
    for (int r = 0; r < m.rows(); r++) {
      int i = m.offset() + r * cols;
      for (int c = 0; c < cols; c++) {
        out[c] += d[i + c];
      }
    }
    double inv = 1.0 / Math.max(1, m.rows());
    for (int c = 0; c < cols; c++) {
      out[c] *= inv;
    }
  }

  @Override
  public String toString() {
    return "BatchMeanSubtraction " + features + " (alpha " + alpha + ")";
  }
}
