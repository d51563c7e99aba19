package io.sparknn.optim;

/**
 * Adam (Kingma &amp; Ba): {@code m = β1·m + (1−β1)·g; v = β2·v + (1−β2)·g²;
 * w −= lr · m̂ / (√v̂ + eps)} with bias-corrected {@code m̂, v̂}; optional L2 weight decay added to the
 * gradient. State: {@code m}, then {@code v}, then the step count, in one flat array.
 */
public final class Adam implements Optimizer {
  private final double beta1;
  private final double beta2;
  private final double eps;
  private final double weightDecay;
  private double[] m = new double[0];
  private double[] v = new double[0];
  private long t;

  public Adam() {
    this(0.9, 0.999, 1e-8, 0.0);
  }

  public Adam(double beta1, double beta2, double eps, double weightDecay) {
    if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
      throw new IllegalArgumentException("Adam betas must be in [0, 1), got " + beta1 + ", " + beta2);
    }
    if (!(eps > 0)) {
      throw new IllegalArgumentException("Adam eps must be positive, got " + eps);
    }
    if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
      throw new IllegalArgumentException("weight decay must be >= 0, got " + weightDecay);
    }
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.eps = eps;
    this.weightDecay = weightDecay;
  }

  @Override
  public void step(double[] w, double[] g, double lr) {
    if (m.length != w.length) {
      m = new double[w.length];
      v = new double[w.length];
      t = 0;
    }
    t++;
    double c1 = 1 - Math.pow(beta1, t);
    double c2 = 1 - Math.pow(beta2, t);
    double stepSize = lr * Math.sqrt(c2) / c1;
    double epsHat = eps * Math.sqrt(c2);
    for (int i = 0; i < w.length; i++) {
      double gi = weightDecay == 0 ? g[i] : g[i] + weightDecay * w[i];
      m[i] = beta1 * m[i] + (1 - beta1) * gi;
      v[i] = beta2 * v[i] + (1 - beta2) * gi * gi;
      w[i] -= stepSize * m[i] / (Math.sqrt(v[i]) + epsHat);
    }
  }

  @Override
  public double[] state() {
    double[] s = new double[2 * m.length + 1];
    System.arraycopy(m, 0, s, 0, m.length);
    System.arraycopy(v, 0, s, m.length, v.length);
    s[s.length - 1] = t;
    return s;
  }

  @Override
  public void restore(double[] state) {
    if (state.length % 2 != 1) {
      throw new IllegalArgumentException("Adam state must have odd length (m, v, t), got " + state.length);
    }
    int n = state.length / 2;
    m = java.util.Arrays.copyOfRange(state, 0, n);
    v = java.util.Arrays.copyOfRange(state, n, 2 * n);
    t = (long) state[2 * n];
  }

  @Override
  public String toString() {
    return "Adam betas " + beta1 + ", " + beta2;
  }
}
