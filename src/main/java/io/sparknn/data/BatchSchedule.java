package io.sparknn.data;

import io.sparknn.tensor.Seeds;
import java.io.Serializable;
import java.util.SplittableRandom;

/**
 * Which rows each partition contributes to each mini-batch: a pure function of (seed, epoch, step,
 * partition), so Spark executors, a retried task, a resumed run and {@code LocalTrainer} all agree.
 *
 * <p>Each epoch has {@code ⌈N / B⌉} steps for {@code N} rows in all and a global batch size {@code B}. Every
 * epoch, partition {@code p} shuffles its {@code n_p} rows with a generator seeded by (seed, epoch, p) and
 * cuts the permutation into that many nearly equal consecutive chunks, chunk {@code s} being
 * {@code [⌊s·n_p/S⌋, ⌊(s+1)·n_p/S⌋)}. So every row is seen once per epoch and the global batch is split in
 * proportion to partition sizes (it is {@code B} or a little less, never a tiny last batch). With one
 * partition this is the homework's shuffled mini-batch loop.
 */
public final class BatchSchedule implements Serializable {
  private static final long serialVersionUID = 1L;

  private final long seed;
  private final int[] partitionSizes;
  private final int batchSize;
  private final int steps;

  public BatchSchedule(long seed, int[] partitionSizes, int batchSize) {
    if (batchSize <= 0) {
      throw new IllegalArgumentException("batch size must be positive, got " + batchSize);
    }
    long total = 0;
    for (int n : partitionSizes) {
      if (n < 0) {
        throw new IllegalArgumentException("negative partition size " + n);
      }
      total += n;
    }
    if (total == 0) {
      throw new IllegalArgumentException("no rows to train on");
    }
    this.seed = seed;
    this.partitionSizes = partitionSizes.clone();
    this.batchSize = batchSize;
    this.steps = (int) ((total + batchSize - 1) / batchSize);
  }

  /** Steps (iterations) per epoch. */
  public int stepsPerEpoch() {
    return steps;
  }

  public int batchSize() {
    return batchSize;
  }

  public int partitions() {
    return partitionSizes.length;
  }

  public int partitionSize(int partition) {
    return partitionSizes[partition];
  }

  /** The order in which {@code partition} visits its rows during {@code epoch} (a Fisher–Yates shuffle). */
  public int[] permutation(int epoch, int partition) {
    int n = partitionSizes[partition];
    int[] perm = new int[n];
    for (int i = 0; i < n; i++) {
      perm[i] = i;
    }
    SplittableRandom rng = new SplittableRandom(Seeds.mix(seed, epoch, partition));
    for (int i = n - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = perm[i];
      perm[i] = perm[j];
      perm[j] = t;
    }
    return perm;
  }

  /** First position in the epoch's permutation that {@code partition} uses at {@code step}. */
  public int start(int partition, int step) {
    if (step < 0 || step > steps) {
      throw new IllegalArgumentException("step " + step + " outside an epoch of " + steps + " steps");
    }
    return (int) ((long) step * partitionSizes[partition] / steps);
  }

  /** One past the last position that {@code partition} uses at {@code step}. */
  public int end(int partition, int step) {
    return start(partition, step + 1);
  }

  /** Rows in the global batch of {@code step} (the same every epoch). */
  public int globalBatchRows(int step) {
    int n = 0;
    for (int p = 0; p < partitionSizes.length; p++) {
      n += end(p, step) - start(p, step);
    }
    return n;
  }

  /** The global iteration number of {@code step} in {@code epoch}. */
  public long iteration(int epoch, int step) {
    return (long) epoch * steps + step;
  }
}
