package io.sparknn.sweep;

import io.sparknn.config.TrainPlan;
import io.sparknn.train.TrainingOptions;
import io.sparknn.train.TrainingState;

/**
 * Runs one step of one trial on Spark: trains it from {@code fromEpochs} (continuing from {@code start}, or from
 * its initial weights when {@code start} is null) to {@code toEpochs}, evaluating each epoch. Called from
 * several driver threads at once, one per slot. A divergence comes back as a failed {@link RungOutcome}; other
 * errors (a task that failed every attempt) are thrown.
 */
public interface TrialRunner extends AutoCloseable {
  /** Trials at once when the sweep does not say ({@code parallelism: 0}). */
  int defaultSlots();

  /** Trains {@code trial} up to {@code toEpochs}; {@code slot} (0 … slots − 1) is the driver thread's number. */
  RungOutcome run(Trial trial, int fromEpochs, int toEpochs, TrainingState start, int slot);

  /** The trial's validated plan for the data it trains on (for the model spec of a saved model). */
  TrainPlan plan(Trial trial);

  /** Partitions the trial's training set is cut into (as a {@code TrainJob} here would cut it). */
  int partitions(io.sparknn.config.TrainConfig config);

  /**
   * Whether Spark can still run trials. A step that failed while it cannot (the context stopped) stops the
   * sweep unfinished, so that a re-run resumes it, instead of being recorded as a failed trial.
   */
  boolean healthy();

  /** What the trial trains on, for messages: {@code 10000 training rows in 2 partitions}. */
  String describeData(Trial trial);

  @Override
  void close();

  /** {@code o} with its epochs set to {@code epochs}: the end of this step. */
  static TrainingOptions until(TrainingOptions o, int epochs) {
    return new TrainingOptions(o.batchSize(), epochs, o.learningRate(), o.schedule(), o.seed(), o.augmentation(),
        o.clipNorm(), o.shards(), o.localSteps(), o.localWeightDecay());
  }
}
