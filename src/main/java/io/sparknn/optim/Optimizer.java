package io.sparknn.optim;

/**
 * An update rule over one flat weight vector and its flat gradient: the whole model at once, never a module.
 *
 * <p>Its state (momentum, Adam's moments and step count) is a flat array too, so a checkpoint saves it and a
 * resumed run continues bit-identically. The learning rate is passed per step, so schedules stay separate.
 */
public interface Optimizer {
  /** Updates {@code weights} in place from {@code grads} with learning rate {@code lr}. */
  void step(double[] weights, double[] grads, double lr);

  /** A copy of the optimizer state (empty before the first step). */
  double[] state();

  /** Replaces the optimizer state with a copy of {@code state} (from {@link #state()} of the same kind). */
  void restore(double[] state);
}
