package io.sparknn.optim;

/**
 * SGD with momentum exactly as the homework's {@code sgd_momentum}: {@code v = momentum·v + lr·g; w −= v}
 * (a zero momentum is plain SGD). Optional Nesterov form ({@code w −= momentum·v + lr·g} after updating
 * {@code v}) and L2 weight decay ({@code g + decay·w} in place of {@code g}). State: the velocity {@code v}.
 */
public final class SgdMomentum implements Optimizer {
  private final double momentum;
  private final boolean nesterov;
  private final double weightDecay;
  private double[] velocity = new double[0];

  public SgdMomentum(double momentum) {
    this(momentum, false, 0.0);
  }

  public SgdMomentum(double momentum, boolean nesterov, double weightDecay) {
    if (!(momentum >= 0 && momentum < 1)) {
      throw new IllegalArgumentException("momentum must be in [0, 1), got " + momentum);
    }
    if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
      throw new IllegalArgumentException("weight decay must be >= 0, got " + weightDecay);
    }
    this.momentum = momentum;
    this.nesterov = nesterov;
    this.weightDecay = weightDecay;
  }

  @Override
  public void step(double[] w, double[] g, double lr) {
    step(w, g, lr, weightDecay);
  }

  /**
   * A step without the weight decay, for a gradient that has it already: a round of local steps' displacement,
   * each of whose steps decayed the weights on its partition.
   */
  public void stepUndecayed(double[] w, double[] g, double lr) {
    step(w, g, lr, 0);
  }

  private void step(double[] w, double[] g, double lr, double weightDecay) {
    if (velocity.length != w.length) {
      velocity = new double[w.length];
    }
    double[] v = velocity;
    for (int i = 0; i < w.length; i++) {
      double gi = weightDecay == 0 ? g[i] : g[i] + weightDecay * w[i];
      v[i] = momentum * v[i] + lr * gi;
      w[i] -= nesterov ? momentum * v[i] + lr * gi : v[i];
    }
  }

  /** The L2 weight decay added to the gradient (0: none). */
  public double weightDecay() {
    return weightDecay;
  }

  @Override
  public double[] state() {
    return velocity.clone();
  }

  @Override
  public void restore(double[] state) {
    velocity = state.clone();
  }

  @Override
  public String toString() {
    return "SGD momentum " + momentum + (nesterov ? " nesterov" : "")
        + (weightDecay > 0 ? " weight decay " + weightDecay : "");
  }
}
