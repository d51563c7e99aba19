package io.sparknn.nn;

/**
 * Rectified linear unit, {@code y = max(0, x)}; the gradient at 0 is taken as 0 (and NaN gives 0, as
 * {@code x > 0} is false for it).
 *
 * <p>Both loops select with a bit mask instead of a branch: on a layer's pre-activations the sign is close to a
 * coin toss, so a branch is mispredicted about every other value, which costs several times the loop itself.
 */
public final class ReLU extends Pointwise {
  /** {@code {type: ReLU}}: no options. */
  public static final LayerType TYPE = LayerType.of("ReLU", ReLU.class, ReLU::new);

  @Override
  protected void apply(double[] x, int xo, double[] y, int yo, int n) {
    for (int i = 0; i < n; i++) {
      long bits = Double.doubleToRawLongBits(x[xo + i]);
      y[yo + i] = Double.longBitsToDouble(bits & positive(bits));
    }
  }

  @Override
  protected void derive(double[] x, int xo, double[] y, int yo, double[] g, int go, double[] gi, int o, int n) {
    for (int i = 0; i < n; i++) {
      long mask = positive(Double.doubleToRawLongBits(x[xo + i]));
      gi[o + i] = Double.longBitsToDouble(Double.doubleToRawLongBits(g[go + i]) & mask);
    }
  }

  /**
   * All ones when the double with these bits is {@code > 0}, else 0: the bits, read as a long, are positive
   * (sign clear, not +0) and at most those of +∞ (not NaN).
   */
  static long positive(long bits) {
    return ((-bits & ~bits) >> 63) & ((bits - 0x7FF0000000000001L) >> 63);
  }
}
