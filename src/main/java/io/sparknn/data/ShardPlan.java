package io.sparknn.data;

import java.io.Serializable;
import java.util.Arrays;

/**
 * Fixed row shards: the training rows, in the order the partitions hold them, cut into {@code S} contiguous,
 * nearly equal shards (shard {@code k} is rows {@code [⌊k·N/S⌋, ⌊(k+1)·N/S⌋)}), whatever the number of
 * partitions {@code P}. The shards, not the partitions, are the unit of the schedule: {@link #schedule()} is a
 * {@link BatchSchedule} over the {@code S} shard sizes, so which rows each shard gives each step, and its Dropout
 * and augmentation seeds, are the same for every {@code P}.
 *
 * <p>{@code S} is a power of two and the sums are added along one fixed binary tree over the shards
 * ({@link io.sparknn.train.PairwiseSum}). Each partition holds the shards of one node of that tree
 * ({@link #cover}): for {@code P} a power of two, {@code S/P} each; otherwise the {@code 2^h ≤ P} nodes of
 * {@code S/2^h} shards, the first {@code P − 2^h} of them halved, so a partition holds one or two times as many
 * shards as another. The partitions must hold the rows {@link #rowCuts} gives them, in order ({@link
 * PartitionedDataset#distribute(org.apache.spark.api.java.JavaSparkContext, Dataset, int, int, String)} and
 * {@link RowSelection#without(long, int[], long[])} cut them so).
 */
public final class ShardPlan implements Serializable {
  private static final long serialVersionUID = 2L;

  private final BatchSchedule schedule;
  private final int[] firstShards;
  private final int[] shardStarts;

  private ShardPlan(BatchSchedule schedule, int[] firstShards, int[] shardStarts) {
    this.schedule = schedule;
    this.firstShards = firstShards;
    this.shardStarts = shardStarts;
  }

  /**
   * The first shard of each of {@code partitions} partitions of {@code shards} shards, then {@code shards}: each
   * partition's shards are one node of the binary tree over them. Refused, saying what was expected, unless
   * {@code shards} is a power of two and {@code 1 ≤ partitions ≤ shards}.
   */
  public static int[] cover(int partitions, int shards) {
    if (shards <= 0 || Integer.bitCount(shards) != 1) {
      throw new IllegalArgumentException("shards is " + shards + "; expected a power of two (1, 2, 4, ..., 64, ...)");
    }
    if (partitions <= 0 || partitions > shards) {
      throw new IllegalArgumentException("training with " + shards + " shards needs 1 to " + shards
          + " partitions, so that each holds whole shards; got " + partitions + " partitions");
    }
    int nodes = Integer.highestOneBit(partitions);
    int halved = partitions - nodes;
    int span = shards / nodes;
    int[] first = new int[partitions + 1];
    int p = 0;
    for (int node = 0; node < nodes; node++) {
      first[p++] = node * span;
      if (node < halved) {
        first[p++] = node * span + span / 2;
      }
    }
    first[partitions] = shards;
    return first;
  }

  /**
   * Where each of {@code partitions} partitions starts among {@code rows} rows over {@code shards} shards, then
   * {@code rows}: partition {@code p} holds rows {@code [cuts[p], cuts[p+1])}.
   */
  public static long[] rowCuts(long rows, int partitions, int shards) {
    int[] first = cover(partitions, shards);
    long[] cuts = new long[partitions + 1];
    for (int p = 0; p <= partitions; p++) {
      cuts[p] = first[p] * rows / shards;
    }
    return cuts;
  }

  /**
   * The plan of {@code shards} shards over partitions of {@code partitionSizes} rows; refused, saying what was
   * expected, for a shard count that is not a power of two, more partitions than shards, more shards than rows,
   * or partitions that do not hold the rows {@link #rowCuts} gives them.
   */
  public static ShardPlan of(long seed, int[] partitionSizes, int batchSize, int shards) {
    int[] first = cover(partitionSizes.length, shards);
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
    for (int p = 0; p < partitionSizes.length; p++) {
      int from = starts[first[p]];
      int to = starts[first[p + 1]];
      if (partitionSizes[p] != to - from) {
        throw new IllegalArgumentException("partition " + p + " holds " + partitionSizes[p] + " rows, but " + shards
            + " shards over " + n + " rows need it to hold rows [" + from + ", " + to + "), the shards "
            + first[p] + " to " + (first[p + 1] - 1) + ": cut the rows with ShardPlan.rowCuts");
      }
    }
    return new ShardPlan(new BatchSchedule(seed, sizes, batchSize), first, starts);
  }

  /** The schedule over the shards: its partition {@code k} is shard {@code k}. */
  public BatchSchedule schedule() {
    return schedule;
  }

  public int shards() {
    return shardStarts.length - 1;
  }

  public int partitions() {
    return firstShards.length - 1;
  }

  /** The first shard partition {@code p} holds. */
  public int firstShard(int p) {
    return firstShards[p];
  }

  /** How many shards partition {@code p} holds (a power of two: its node's span). */
  public int shardCount(int p) {
    return firstShards[p + 1] - firstShards[p];
  }

  /** {@link #shardCount} of every partition, in order. */
  public int[] spans() {
    int[] spans = new int[partitions()];
    for (int p = 0; p < spans.length; p++) {
      spans[p] = shardCount(p);
    }
    return spans;
  }

  /**
   * The order in which shard {@code k} visits its rows during {@code epoch}, as row numbers within the partition
   * that holds it ({@link BatchSchedule#permutation} of the shard, shifted to where the shard starts there).
   */
  public int[] permutation(int epoch, int k) {
    int p = Arrays.binarySearch(firstShards, k);
    p = p >= 0 ? p : -p - 2;
    int[] perm = schedule.permutation(epoch, k);
    int offset = shardStarts[k] - shardStarts[firstShards[p]];
    for (int i = 0; i < perm.length; i++) {
      perm[i] += offset;
    }
    return perm;
  }
}
