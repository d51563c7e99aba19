package io.sparknn.nn;

import java.util.List;

/** Leaky ReLU: {@code y = x} for {@code x > 0}, else {@code slope · x} (slope 0.03 by default, the homework's). */
public final class LeakyReLU extends Pointwise {
  public static final double DEFAULT_SLOPE = 0.03;

  private static final LayerOption<Double> SLOPE = LayerOption.number("slope", DEFAULT_SLOPE);

  /** {@code {type: LeakyReLU, slope: 0.03}}: the negative slope, 0.03 by default. */
  public static final LayerType TYPE = LayerType.of("LeakyReLU", LeakyReLU.class, List.of(SLOPE),
      (spec, width) -> new LeakyReLU(SLOPE.of(spec)), m -> LayerSpec.of("LeakyReLU").with("slope", m.slope()));

  private final double slope;

  public LeakyReLU() {
    this(DEFAULT_SLOPE);
  }

  public LeakyReLU(double slope) {
    if (!Double.isFinite(slope)) {
      throw new IllegalArgumentException("LeakyReLU slope must be finite, got " + slope);
    }
    this.slope = slope;
  }

  public double slope() {
    return slope;
  }

  @Override
  protected void apply(double[] x, int xo, double[] y, int yo, int n) {
    for (int i = 0; i < n; i++) {
      double v = x[xo + i];
      y[yo + i] = v > 0 ? v : slope * v;
    }
  }

  @Override
  protected void derive(double[] x, int xo, double[] y, int yo, double[] g, int go, double[] gi, int o, int n) {
    for (int i = 0; i < n; i++) {
      gi[o + i] = x[xo + i] > 0 ? g[go + i] : slope * g[go + i];
    }
  }

  @Override
  public String toString() {
    return "LeakyReLU " + slope;
  }
}
