package io.sparknn.train;

import io.sparknn.data.Augmentation;
import io.sparknn.optim.LearningRateSchedule;
import java.io.Serializable;

/**
 * The loop's settings that both trainers share.
 *
 * @param batchSize global mini-batch size {@code B}
 * @param epochs passes over the training data
 * @param learningRate base learning rate (the schedule scales it)
 * @param schedule learning-rate schedule
 * @param seed seed of shuffles, masks and augmentation
 * @param augmentation per-batch image augmentation, or null
 * @param clipNorm gradient clipping by global L2 norm; 0 turns it off
 */
public record TrainingOptions(int batchSize, int epochs, double learningRate, LearningRateSchedule schedule,
    long seed, Augmentation augmentation, double clipNorm) implements Serializable {
  public TrainingOptions {
    if (batchSize <= 0) {
      throw new IllegalArgumentException("batch size must be positive, got " + batchSize);
    }
    if (epochs < 0) {
      throw new IllegalArgumentException("epochs must be >= 0, got " + epochs);
    }
    if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
      throw new IllegalArgumentException("learning rate must be > 0, got " + learningRate);
    }
    if (!(clipNorm >= 0)) {
      throw new IllegalArgumentException("clip norm must be >= 0, got " + clipNorm);
    }
    if (schedule == null) {
      schedule = LearningRateSchedule.constant();
    }
  }

  /** Plain options: constant rate, no augmentation, no clipping. */
  public static TrainingOptions of(int batchSize, int epochs, double learningRate, long seed) {
    return new TrainingOptions(batchSize, epochs, learningRate, null, seed, null, 0);
  }
}
