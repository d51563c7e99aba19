package io.sparknn.nn;

/** Hyperbolic tangent; its gradient {@code 1 − y²} comes from the stored output. */
public final class Tanh extends Pointwise {
  /** {@code {type: Tanh}}: no options. */
  public static final LayerType TYPE = LayerType.of("Tanh", Tanh.class, Tanh::new);

  @Override
  protected void apply(double[] x, int xo, double[] y, int yo, int n) {
    for (int i = 0; i < n; i++) {
      y[yo + i] = Math.tanh(x[xo + i]);
    }
  }

  @Override
  protected void derive(double[] x, int xo, double[] y, int yo, double[] g, int go, double[] gi, int o, int n) {
    for (int i = 0; i < n; i++) {
      double t = y[yo + i];
      gi[o + i] = (1.0 - t * t) * g[go + i];
    }
  }
}
