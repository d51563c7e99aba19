package io.sparknn.optim;

import java.io.Serializable;

/**
 * The learning rate as a pure function of the base rate, the epoch (0-based) and the global iteration, so a
 * resumed run gets exactly the rates an uninterrupted one would have.
 */
@FunctionalInterface
public interface LearningRateSchedule extends Serializable {
  double rate(double base, int epoch, long iteration);

  /** The base rate throughout. */
  static LearningRateSchedule constant() {
    return (base, epoch, iteration) -> base;
  }
}
