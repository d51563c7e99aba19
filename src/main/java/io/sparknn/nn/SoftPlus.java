package io.sparknn.nn;

/** SoftPlus, {@code y = log(1 + eˣ)}, computed without overflow for large {@code |x|}. */
public final class SoftPlus extends Pointwise {
  /** {@code {type: SoftPlus}}: no options. */
  public static final LayerType TYPE = LayerType.of("SoftPlus", SoftPlus.class, SoftPlus::new);

  @Override
  protected void apply(double[] x, int xo, double[] y, int yo, int n) {
    for (int i = 0; i < n; i++) {
      double v = x[xo + i];
      y[yo + i] = Math.max(v, 0.0) + Math.log1p(Math.exp(-Math.abs(v)));
    }
  }

  @Override
  protected void derive(double[] x, int xo, double[] y, int yo, double[] g, int go, double[] gi, int o, int n) {
    // d/dx log(1 + e^x) = sigmoid(x), in the form that cannot overflow.
    for (int i = 0; i < n; i++) {
      double v = x[xo + i];
      double s = v >= 0 ? 1.0 / (1.0 + Math.exp(-v)) : Math.exp(v) / (1.0 + Math.exp(v));
      gi[o + i] = s * g[go + i];
    }
  }
}
