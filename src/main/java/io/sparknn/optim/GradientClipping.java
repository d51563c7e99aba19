package io.sparknn.optim;

/** Clipping of a flat gradient by its global L2 norm, the guard against exploding steps. */
public final class GradientClipping {
  private GradientClipping() {}

  /** The L2 norm of {@code g} (NaN or infinite when any element is). */
  public static double norm(double[] g) {
    double s = 0;
    for (double v : g) {
      s += v * v;
    }
    return Math.sqrt(s);
  }

  /** Scales {@code g} in place so its norm is at most {@code maxNorm} (when {@code maxNorm > 0}); returns the norm before. */
  public static double clip(double[] g, double maxNorm) {
    double n = norm(g);
    if (maxNorm > 0 && n > maxNorm) {
      double s = maxNorm / n;
      for (int i = 0; i < g.length; i++) {
        g[i] *= s;
      }
    }
    return n;
  }
}
