package io.sparknn.data;

import java.io.Serializable;

/**
 * Fixed row shards: the training rows, in the order the partitions hold them, cut into {@code S} contiguous,
 * nearly equal shards (shard {@code k} is rows {@code [⌊k·N/S⌋, ⌊(k+1)·N/S⌋)}), whatever the number of
 * partitions {@code P}. The shards, not the partitions, are the unit of the schedule: {@link #schedule()} is a
 * {@link BatchSchedule} over the {@code S} shard sizes, so which rows each shard gives each step, and its Dropout
 * and augmentation seeds, are the same for every {@code P}. Partition {@code p} holds shards
 * {@code [p·S/P, (p+1)·S/P)}; {@code S} and {@code P} are powers of two, {@code P ≤ S}, so every partition's
 * shards form one node of the binary tree the sums are added along ({@link io.sparknn.train.PairwiseSum}).
 * The partitions must be the contiguous cut {@link PartitionedDataset#split} makes of the rows.
 */
public final class ShardPlan implements Serializable {
  private static final long serialVersionUID = 1L;

  private final BatchSchedule schedule;
  private final int partitions;
  private final int[] shardStarts;

  private ShardPlan(BatchSchedule schedule, int partitions, int[] shardStarts) {
    this.schedule = schedule;
    this.partitions = partitions;
    this.shardStarts = shardStarts;
  }

  /**
   * The plan of {@code shards} shards over partitions of {@code partitionSizes} rows; refused, saying what was
   * expected, when the counts are not powers of two, there are more partitions than shards or more shards than
   * rows, or the partitions are not the contiguous cut of their rows.
   */
  public static ShardPlan of(long seed, int[] partitionSizes, int batchSize, int shards) {
    int p = partitionSizes.length;
    if (shards <= 0 || Integer.bitCount(shards) != 1) {
      throw new IllegalArgumentException("shards is " + shards + "; expected a power of two (1, 2, 4, ..., 64, ...)");
    }
    if (p == 0 || Integer.bitCount(p) != 1 || p > shards) {
      throw new IllegalArgumentException("training with " + shards + " shards needs a power of two of partitions, "
          + "at most " + shards + ", so that each holds whole shards; got " + p + " partitions");
    }
    long n = 0;
    for (int size : partitionSizes) {
      n += size;
    }
    if (n < shards) {
      throw new IllegalArgumentException(shards + " shards for only " + n + " rows; expected at most one shard a row");
    }
    int[] starts = new int[shards + 1];
    int[] sizes = new int[shards];
    for (int k = 0; k <= shards; k++) {
      starts[k] = (int) (k * n / shards);
      if (k > 0) {
        sizes[k - 1] = starts[k] - starts[k - 1];
      }
    }
    long held = 0;
    for (int j = 0; j < p; j++) {
      long expected = starts[(j + 1) * (shards / p)] - starts[j * (shards / p)];
      if (partitionSizes[j] != expected) {
        throw new IllegalArgumentException("partition " + j + " holds " + partitionSizes[j] + " rows, but " + shards
            + " shards over " + n + " rows need it to hold rows [" + held + ", " + (held + expected)
            + "): the partitions must be the contiguous, nearly equal cut of the rows");
      }
      held += expected;
    }
    return new ShardPlan(new BatchSchedule(seed, sizes, batchSize), p, starts);
  }

  /** The schedule over the shards: its partition {@code k} is shard {@code k}. */
  public BatchSchedule schedule() {
    return schedule;
  }

  public int shards() {
    return shardStarts.length - 1;
  }

  public int partitions() {
    return partitions;
  }

  /** Shards each partition holds. */
  public int shardsPerPartition() {
    return shards() / partitions;
  }

  /** The first shard partition {@code p} holds. */
  public int firstShard(int p) {
    return p * shardsPerPartition();
  }

  /**
   * The order in which shard {@code k} visits its rows during {@code epoch}, as row numbers within the partition
   * that holds it ({@link BatchSchedule#permutation} of the shard, shifted to where the shard starts there).
   */
  public int[] permutation(int epoch, int k) {
    int[] perm = schedule.permutation(epoch, k);
    int offset = shardStarts[k] - shardStarts[k - k % shardsPerPartition()];
    for (int i = 0; i < perm.length; i++) {
      perm[i] += offset;
    }
    return perm;
  }
}
