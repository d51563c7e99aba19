package io.sparknn.nn;

/** The logistic function, {@code y = 1 / (1 + e⁻ˣ)}; its gradient {@code y(1 − y)} comes from the stored output. */
public final class Sigmoid extends Pointwise {
  /** {@code {type: Sigmoid}}: no options. */
  public static final LayerType TYPE = LayerType.of("Sigmoid", Sigmoid.class, Sigmoid::new);

  @Override
  protected void apply(double[] x, int xo, double[] y, int yo, int n) {
    for (int i = 0; i < n; i++) {
      double v = x[xo + i];
      y[yo + i] = v >= 0 ? 1.0 / (1.0 + Math.exp(-v)) : Math.exp(v) / (1.0 + Math.exp(v));
    }
  }

  @Override
  protected void derive(double[] x, int xo, double[] y, int yo, double[] g, int go, double[] gi, int o, int n) {
    for (int i = 0; i < n; i++) {
      double s = y[yo + i];
      gi[o + i] = s * (1.0 - s) * g[go + i];
    }
  }
}
