package io.sparknn.nn;

import io.sparknn.tensor.Matrix;
import java.util.Arrays;
import java.util.List;

/**
 * Batch normalisation over the batch dimension: {@code y = γ · (x − μ) / √(σ² + eps) + β} per feature.
 *
 * <p>Training uses the batch mean and biased variance and updates running statistics
 * {@code running = (1 − momentum) · running + momentum · batch} (the variance unbiased, as Torch does);
 * evaluation uses the running statistics. Parameters: {@code γ} (starts at 1) then {@code β} (starts at 0).
 * State: running mean (starts at 0) then running variance (starts at 1). In distributed training each
 * partition normalises its own share of the batch (as data-parallel frameworks do without synchronised
 * batch norm).
 */
public final class BatchNormalization extends Module {
  public static final double DEFAULT_EPS = 1e-5;
  public static final double DEFAULT_MOMENTUM = 0.1;
  private static final LayerOption<Double> EPS = LayerOption.number("eps", DEFAULT_EPS);
  private static final LayerOption<Double> MOMENTUM = LayerOption.number("momentum", DEFAULT_MOMENTUM);

  /**
   * {@code {type: BatchNormalization, in: 196, eps: 1e-5, momentum: 0.1}}: {@code in} defaults to the previous
   * layer's width, {@code eps} to 1e-5, the running-statistics {@code momentum} to 0.1.
   */
  public static final LayerType TYPE = LayerType.of("BatchNormalization", BatchNormalization.class,
      List.of(LayerOption.IN, EPS, MOMENTUM),
      (spec, width) -> new BatchNormalization(LayerType.inputWidth("BatchNormalization", spec, width),
          EPS.of(spec), MOMENTUM.of(spec)),
      m -> LayerSpec.of("BatchNormalization").with("in", m.features()).with("eps", m.eps())
          .with("momentum", m.momentum()),
      (spec, width) -> {
        long in = spec.in() != null ? spec.in() : width;
        return new LayerType.Size(2 * in, 2 * in, width);
      });

  private final int features;
  private final double eps;
  private final double momentum;
  private double[] mean = new double[0];
  private double[] invStd = new double[0];
  private double[] sumG = new double[0];
  private double[] sumGx = new double[0];
  private Matrix xHat;

  public BatchNormalization(int features) {
    this(features, DEFAULT_EPS, DEFAULT_MOMENTUM);
  }

  public BatchNormalization(int features, double eps, double momentum) {
    if (features <= 0) {
      throw new IllegalArgumentException("BatchNormalization needs a positive width, got " + features);
    }
    if (!(eps > 0)) {
      throw new IllegalArgumentException("BatchNormalization eps must be positive, got " + eps);
    }
    if (!(momentum >= 0 && momentum <= 1)) {
      throw new IllegalArgumentException("BatchNormalization momentum must be in [0, 1], got " + momentum);
    }
    this.features = features;
    this.eps = eps;
    this.momentum = momentum;
    allocateOwnStorage();
    reset(0);
  }

  public int features() {
    return features;
  }

  public double eps() {
    return eps;
  }

  public double momentum() {
    return momentum;
  }

  @Override
  public int parameterCount() {
    return 2 * features;
  }

  @Override
  public int stateCount() {
    return 2 * features;
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
    int p = parameterOffset();
    Arrays.fill(parameters(), p, p + features, 1.0);
    Arrays.fill(parameters(), p + features, p + 2 * features, 0.0);
    int s = stateOffset();
    Arrays.fill(state(), s, s + features, 0.0);
    Arrays.fill(state(), s + features, s + 2 * features, 1.0);
  }

  private void ensureBuffers() {
    if (mean.length != features) {
      mean = new double[features];
      invStd = new double[features];
      sumG = new double[features];
      sumGx = new double[features];
    }
  }

  @Override
  public Matrix updateOutput(Matrix input) {
    requireInputWidth(input, features);
    ensureBuffers();
    int rows = input.rows();
    double[] st = state();
    int so = stateOffset();
    if (isTraining()) {
      if (rows < 2) {
        throw new IllegalArgumentException(this + " needs at least 2 rows per batch in training, got " + rows);
      }
      BatchMeanSubtraction.columnMeans(input, mean);
      double[] var = invStd;
      Arrays.fill(var, 0.0);
      double[] x = input.data();
      for (int r = 0; r < rows; r++) {
        int i = input.offset() + r * features;
        for (int c = 0; c < features; c++) {
          double d = x[i + c] - mean[c];
          var[c] += d * d;
        }
      }
      for (int c = 0; c < features; c++) {
        double biased = var[c] / rows;
        st[so + c] = (1 - momentum) * st[so + c] + momentum * mean[c];
        st[so + features + c] = (1 - momentum) * st[so + features + c] + momentum * var[c] / (rows - 1);
        invStd[c] = 1.0 / Math.sqrt(biased + eps);
      }
    } else {
      for (int c = 0; c < features; c++) {
        mean[c] = st[so + c];
        invStd[c] = 1.0 / Math.sqrt(st[so + features + c] + eps);
      }
    }
    xHat = Matrix.reuse(xHat, rows, features);
    Matrix out = Matrix.reuse(output, rows, features);
    double[] x = input.data();
    double[] xh = xHat.data();
    double[] y = out.data();
    double[] w = parameters();
    int gamma = parameterOffset();
    int beta = gamma + features;
    for (int r = 0; r < rows; r++) {
      int i = input.offset() + r * features;
      int o = r * features;
      for (int c = 0; c < features; c++) {
        double h = (x[i + c] - mean[c]) * invStd[c];
        xh[o + c] = h;
        y[out.offset() + o + c] = w[gamma + c] * h + w[beta + c];
      }
    }
    return out;
  }

  @Override
  public Matrix updateGradInput(Matrix input, Matrix gradOutput) {
    requireGradShape(gradOutput, input);
    int rows = input.rows();
    Matrix gin = Matrix.reuse(gradInput, rows, features);
    double[] g = gradOutput.data();
    double[] gi = gin.data();
    double[] xh = xHat.data();
    double[] w = parameters();
    int gamma = parameterOffset();
    if (!isTraining()) {
      for (int r = 0; r < rows; r++) {
        int gg = gradOutput.offset() + r * features;
        int o = gin.offset() + r * features;
        for (int c = 0; c < features; c++) {
          gi[o + c] = g[gg + c] * w[gamma + c] * invStd[c];
        }
      }
      return gin;
    }
    // dx = γ·invStd/N · (N·g − Σg − x̂·Σ(g·x̂)), per feature.
    Arrays.fill(sumG, 0.0);
    Arrays.fill(sumGx, 0.0);
    for (int r = 0; r < rows; r++) {
      int gg = gradOutput.offset() + r * features;
      int o = r * features;
      for (int c = 0; c < features; c++) {
        sumG[c] += g[gg + c];
        sumGx[c] += g[gg + c] * xh[o + c];
      }
    }
    for (int r = 0; r < rows; r++) {
      int gg = gradOutput.offset() + r * features;
      int o = r * features;
      int go = gin.offset() + r * features;
      for (int c = 0; c < features; c++) {
        gi[go + c] = w[gamma + c] * invStd[c] / rows
            * (rows * g[gg + c] - sumG[c] - xh[o + c] * sumGx[c]);
      }
    }
    return gin;
  }

  @Override
  public void accGradParameters(Matrix input, Matrix gradOutput) {
    double[] g = gradOutput.data();
    double[] xh = xHat.data();
    double[] gw = gradParameters();
    int gamma = parameterOffset();
    int beta = gamma + features;
    for (int r = 0; r < input.rows(); r++) {
      int gg = gradOutput.offset() + r * features;
      int o = r * features;
      for (int c = 0; c < features; c++) {
        gw[gamma + c] += g[gg + c] * xh[o + c];
        gw[beta + c] += g[gg + c];
      }
    }
  }

  @Override
  public String toString() {
    return "BatchNormalization " + features;
  }
}
