package io.sparknn.nn;

/** Rectified linear unit, {@code y = max(0, x)}; the gradient at 0 is taken as 0. */
public final class ReLU extends Pointwise {
  /** {@code {type: ReLU}}: no options. */
  public static final LayerType TYPE = LayerType.of("ReLU", ReLU.class, ReLU::new);

  @Override
  protected void apply(double[] x, int xo, double[] y, int yo, int n) {
    for (int i = 0; i < n; i++) {
      double v = x[xo + i];
      y[yo + i] = v > 0 ? v : 0.0;
    }
  }

  @Override
  protected void derive(double[] x, int xo, double[] y, int yo, double[] g, int go, double[] gi, int o, int n) {
    for (int i = 0; i < n; i++) {
      gi[o + i] = x[xo + i] > 0 ? g[go + i] : 0.0;
    }
  }
}
