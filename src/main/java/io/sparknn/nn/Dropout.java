package io.sparknn.nn;

import io.sparknn.tensor.Matrix;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Dropout with drop probability {@code p}: in training each element is kept with probability {@code 1 − p}
 * and <em>scaled by {@code 1/(1 − p)} at training time</em> (inverted dropout), so evaluation is the identity
 * and needs no rescaling. One Bernoulli mask per batch, drawn from a generator that {@link #reseed} sets:
 * trainers reseed it from (seed, iteration, partition), so a recomputed Spark task draws the same mask.
 */
public final class Dropout extends Module {
  private static final LayerOption<Double> P = LayerOption.number("p", null);

  /** {@code {type: Dropout, p: 0.5}}: the drop probability, which has no default. */
  public static final LayerType TYPE = LayerType.of("Dropout", Dropout.class, List.of(P), (spec, width) -> {
    Double p = P.of(spec);
    if (p == null) {
      throw new IllegalArgumentException("Dropout needs 'p', the drop probability in [0, 1)");
    }
    return new Dropout(p);
  }, m -> LayerSpec.of("Dropout").with("p", m.p()));

  private final double p;
  private SplittableRandom rng = new SplittableRandom(0xD50);
  private Matrix mask;

  public Dropout(double p) {
    if (!(p >= 0 && p < 1)) {
      throw new IllegalArgumentException("Dropout p must be in [0, 1), got " + p);
    }
    this.p = p;
  }

  public double p() {
    return p;
  }

  @Override
  public void reseed(long seed) {
    rng = new SplittableRandom(seed);
  }

  @Override
  public Matrix updateOutput(Matrix input) {
    Matrix out = Matrix.reuse(output, input.rows(), input.cols());
    int n = input.size();
    double[] x = input.data();
    double[] y = out.data();
    int xo = input.offset();
    int yo = out.offset();
    if (!isTraining() || p == 0) {
      System.arraycopy(x, xo, y, yo, n);
      return out;
    }
    mask = Matrix.reuse(mask, input.rows(), input.cols());
    double[] m = mask.data();
    double keep = 1.0 / (1.0 - p);
    for (int i = 0; i < n; i++) {
      double k = rng.nextDouble() >= p ? keep : 0.0;
      m[i] = k;
      y[yo + i] = x[xo + i] * k;
    }
    return out;
  }

  @Override
  public Matrix updateGradInput(Matrix input, Matrix gradOutput) {
    requireGradShape(gradOutput, input);
    Matrix gin = Matrix.reuse(gradInput, input.rows(), input.cols());
    if (!isTraining() || p == 0) {
      return gin.copyFrom(gradOutput);
    }
    double[] g = gradOutput.data();
    double[] gi = gin.data();
    double[] m = mask.data();
    int go = gradOutput.offset();
    int o = gin.offset();
    for (int i = 0; i < input.size(); i++) {
      gi[o + i] = g[go + i] * m[i];
    }
    return gin;
  }

  @Override
  public String toString() {
    return "Dropout " + p;
  }
}
