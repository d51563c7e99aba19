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
 * @param shards fixed row shards ({@link io.sparknn.data.ShardPlan}), a power of two, each a unit of gradient
 *     computation whose sums are added along one fixed tree, so that the weights are bit-identical for every
 *     number of partitions from 1 to it; 0 turns them off (each partition is one unit, its sums added in
 *     partition order)
 * @param localSteps steps each partition takes on its own between two synchronisations ("local SGD"): 1 (the
 *     default) is the homework's synchronous loop; {@code K > 1} has every partition take {@code K} plain SGD
 *     steps on its shares of {@code K} consecutive global batches from the weights the driver sent, and the driver
 *     step once with the partitions' mean displacement divided by the round's last learning rate
 *     ({@link PartitionSums#computeLocalSteps})
 * @param localWeightDecay the L2 weight decay each local step adds to its gradient on its partition
 *     ({@code g + decay·w}); the trainer moves its SGD's decay here with local steps, and the driver then steps
 *     undecayed ({@link ParameterUpdate#taskOptions}); 0: none
 */
public record TrainingOptions(int batchSize, int epochs, double learningRate, LearningRateSchedule schedule,
    long seed, Augmentation augmentation, double clipNorm, int shards, int localSteps, double localWeightDecay)
    implements Serializable {
  /** Options without a local step's weight decay. */
  public TrainingOptions(int batchSize, int epochs, double learningRate, LearningRateSchedule schedule, long seed,
      Augmentation augmentation, double clipNorm, int shards, int localSteps) {
    this(batchSize, epochs, learningRate, schedule, seed, augmentation, clipNorm, shards, localSteps, 0);
  }

  /** Synchronous options ({@code localSteps} 1). */
  public TrainingOptions(int batchSize, int epochs, double learningRate, LearningRateSchedule schedule, long seed,
      Augmentation augmentation, double clipNorm, int shards) {
    this(batchSize, epochs, learningRate, schedule, seed, augmentation, clipNorm, shards, 1);
  }

  /** Options without shards. */
  public TrainingOptions(int batchSize, int epochs, double learningRate, LearningRateSchedule schedule, long seed,
      Augmentation augmentation, double clipNorm) {
    this(batchSize, epochs, learningRate, schedule, seed, augmentation, clipNorm, 0);
  }

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
    if (shards < 0 || (shards > 0 && Integer.bitCount(shards) != 1)) {
      throw new IllegalArgumentException("shards must be 0 (off) or a power of two, got " + shards);
    }
    if (localSteps < 1) {
      throw new IllegalArgumentException("local steps must be >= 1 (1: synchronous SGD), got " + localSteps);
    }
    if (localSteps > 1 && shards > 0) {
      // The shards make the weights independent of the partition count; local steps make them depend on it.
      throw new IllegalArgumentException("local steps (" + localSteps + ") and fixed row shards (" + shards
          + ") do not go together: each partition's own steps depend on how many partitions there are");
    }
    if (!(localWeightDecay >= 0) || Double.isInfinite(localWeightDecay)) {
      throw new IllegalArgumentException("a local step's weight decay must be >= 0, got " + localWeightDecay);
    }
    if (localWeightDecay > 0 && localSteps == 1) {
      throw new IllegalArgumentException("a local step's weight decay (" + localWeightDecay + ") needs local steps "
          + "(K > 1); the synchronous loop's decay is its optimizer's");
    }
    if (schedule == null) {
      schedule = LearningRateSchedule.constant();
    }
  }

  /** Plain options: constant rate, no augmentation, no clipping. */
  public static TrainingOptions of(int batchSize, int epochs, double learningRate, long seed) {
    return new TrainingOptions(batchSize, epochs, learningRate, null, seed, null, 0);
  }

  /** The same options over {@code shards} fixed row shards (0: none). */
  public TrainingOptions withShards(int shards) {
    return new TrainingOptions(batchSize, epochs, learningRate, schedule, seed, augmentation, clipNorm, shards,
        localSteps, localWeightDecay);
  }

  /** The same options with {@code localSteps} steps per partition between synchronisations (1: synchronous). */
  public TrainingOptions withLocalSteps(int localSteps) {
    return new TrainingOptions(batchSize, epochs, learningRate, schedule, seed, augmentation, clipNorm, shards,
        localSteps, localSteps == 1 ? 0 : localWeightDecay);
  }

  /** The same options with each local step decaying the weights by {@code decay} (0: none). */
  TrainingOptions withLocalWeightDecay(double decay) {
    return new TrainingOptions(batchSize, epochs, learningRate, schedule, seed, augmentation, clipNorm, shards,
        localSteps, decay);
  }

  /** The learning rate at ({@code epoch}, {@code iteration}). */
  public double rate(int epoch, long iteration) {
    return schedule.rate(learningRate, epoch, iteration);
  }
}
