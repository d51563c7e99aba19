package io.sparknn.train;

/** Receives progress from a trainer: per-epoch metrics, and optionally every iteration. */
public interface TrainingListener {
  /** Called after each epoch's evaluation. */
  void onEpoch(EpochMetrics metrics);

  /**
   * Called after each iteration's update; {@code weights} must not be kept or modified. With local steps
   * ({@link TrainingOptions#localSteps}) the driver updates once a round: called once a round, with its last
   * iteration and its mean loss.
   */
  default void onIteration(int epoch, long iteration, double loss, double[] weights) {}

  /** A listener that ignores everything. */
  static TrainingListener none() {
    return m -> {};
  }
}
