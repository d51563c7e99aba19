package io.sparknn.nn;

import java.util.List;

/** Exponential linear unit, {@code y = x} for {@code x > 0} and {@code alpha · (eˣ − 1)} otherwise (default alpha 1). */
public final class ELU extends Pointwise {
  public static final double DEFAULT_ALPHA = 1.0;

  private static final LayerOption<Double> ALPHA = LayerOption.number("alpha", DEFAULT_ALPHA);

  /** {@code {type: ELU, alpha: 1.0}}: alpha, 1 by default. */
  public static final LayerType TYPE = LayerType.of("ELU", ELU.class, List.of(ALPHA),
      (spec, width) -> new ELU(ALPHA.of(spec)), m -> LayerSpec.of("ELU").with("alpha", m.alpha()));

  private final double alpha;

  public ELU() {
    this(DEFAULT_ALPHA);
  }

  public ELU(double alpha) {
    if (!(alpha > 0) || Double.isInfinite(alpha)) {
      throw new IllegalArgumentException("ELU alpha must be positive and finite, got " + alpha);
    }
    this.alpha = alpha;
  }

  public double alpha() {
    return alpha;
  }

  @Override
  protected void apply(double[] x, int xo, double[] y, int yo, int n) {
    for (int i = 0; i < n; i++) {
      double v = x[xo + i];
      y[yo + i] = v > 0 ? v : alpha * Math.expm1(v);
    }
  }

  @Override
  protected void derive(double[] x, int xo, double[] y, int yo, double[] g, int go, double[] gi, int o, int n) {
    // For x <= 0, d/dx alpha(e^x - 1) = alpha e^x = y + alpha.
    for (int i = 0; i < n; i++) {
      gi[o + i] = x[xo + i] > 0 ? g[go + i] : (y[yo + i] + alpha) * g[go + i];
    }
  }

  @Override
  public String toString() {
    return "ELU " + alpha;
  }
}
