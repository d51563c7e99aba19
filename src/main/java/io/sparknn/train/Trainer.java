package io.sparknn.train;

import io.sparknn.nn.Sequential;
import io.sparknn.optim.Optimizer;

/**
 * What both trainers hold and checkpoint alike: the model they update in place, the update rule with its
 * optimizer, the options, and the loop's position. {@link LocalTrainer} computes each step's mean gradient in
 * this JVM, {@code SparkTrainer} on the executors; a {@link #snapshot()} of either restores into the other.
 */
public abstract class Trainer {
  protected final Sequential model;
  protected final ParameterUpdate update;
  protected final TrainingOptions options;
  protected final EpochLoop loop = new EpochLoop();

  protected Trainer(Sequential model, Optimizer optimizer, TrainingOptions options) {
    this.model = model;
    this.update = new ParameterUpdate(optimizer, options);
    this.options = update.taskOptions();
  }

  /** The run's position, weights and optimizer state, for a checkpoint. */
  public TrainingState snapshot() {
    return TrainingState.capture(loop, model, update.optimizer());
  }

  /**
   * Continues from {@code s} (a {@link #snapshot()} of either trainer with the same config): a later fit runs
   * the remaining epochs exactly as an uninterrupted run would.
   */
  public void restore(TrainingState s) {
    s.restoreInto(loop, model, update.optimizer());
  }

  /** The model, trained in place. */
  public Sequential model() {
    return model;
  }

  /** Epochs completed. */
  public int epoch() {
    return loop.epoch();
  }
}
