package io.sparknn.data;

import io.sparknn.tensor.Seeds;
import java.io.Serializable;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which rows each partition contributes to each mini-batch: a pure function of (seed, epoch, step,
 * partition), so Spark executors, a retried task, a resumed run and {@code LocalTrainer} all agree.
 *
 * <p>Each epoch has {@code S = ⌈N / B⌉} steps for {@code N} rows in all and a global batch size {@code B}. Every
 * epoch, partition {@code p} shuffles its {@code n_p} rows with a generator seeded by (seed, epoch, p) and
 * cuts the permutation into {@code S} consecutive chunks, one per step. So every row is seen once per epoch,
 * every global batch has at most {@code B} rows and none is empty, and the batch is split in proportion to
 * partition sizes. Where it is cut:
 * <ul>
 *   <li>Each partition on its own: chunk {@code s} of partition {@code p} is {@code [⌊s·n_p/S⌋, ⌊(s+1)·n_p/S⌋)},
 *       so each partition gives each step {@code ⌊n_p/S⌋} or {@code ⌈n_p/S⌉} rows. This is the cut whenever it
 *       gives every step between 1 and {@code B} rows, as it does when partitions hold many rows a step.
 *   <li>Otherwise (a global batch smaller than the number of partitions, a partition with fewer rows than there
 *       are steps, or roundings that add up past {@code B}) the cuts are made together: the rows of all
 *       partitions are put in one order by their share of their own partition (row {@code i} of partition
 *       {@code p} at {@code (i + ½) / n_p}, ties to the lower partition), step {@code s} takes positions
 *       {@code [⌊s·N/S⌋, ⌊(s+1)·N/S⌋)} of that order, and each partition gives the rows of its own that fall
 *       there. Every global batch then has {@code ⌊N/S⌋} or {@code ⌈N/S⌉} rows; a partition may give none.
 * </ul>
 * With one partition this is the homework's shuffled mini-batch loop.
 */
public final class BatchSchedule implements Serializable {
  private static final long serialVersionUID = 2L;

  private final long seed;
  private final int[] partitionSizes;
  private final int batchSize;
  private final int steps;
  // Whether the cuts are made together; decided once, where the schedule is made.
  private final boolean joint;
  // Cumulative rows per partition before each step of joint cuts, per JVM: a function of the sizes and the batch
  // alone, so tasks of every iteration share it instead of rebuilding it from their own copy of the schedule.
  private static final Map<String, int[][]> JOINT_STARTS = new ConcurrentHashMap<>();

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
    this.joint = !ownCutsFit();
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
    return joint ? jointStarts()[step][partition] : ownStart(partition, step);
  }

  private int ownStart(int partition, int step) {
    return (int) ((long) step * partitionSizes[partition] / steps);
  }

  /** The joint cuts: the rows of all partitions merged by {@code (i + ½) / n_p}, {@code ⌊s·N/S⌋} before step s. */
  private int[][] jointStarts() {
    String key = Arrays.toString(partitionSizes) + "/" + batchSize;
    int[][] cached = JOINT_STARTS.get(key);
    if (cached != null) {
      return cached;
    }
    if (JOINT_STARTS.size() >= 16) {
      JOINT_STARTS.clear();   // a few schedules are alive at a time; a miss only costs a rebuild
    }
    int parts = partitionSizes.length;
    long total = 0;
    for (int n : partitionSizes) {
      total += n;
    }
    int[][] starts = new int[steps + 1][parts];
    int[] taken = new int[parts];
    long position = 0;
    for (int s = 1; s <= steps; s++) {
      long until = s * total / steps;
      for (; position < until; position++) {
        // The next row in the merged order: the smallest (2·taken_p + 1) / n_p, compared without division.
        int best = -1;
        for (int p = 0; p < parts; p++) {
          if (taken[p] < partitionSizes[p] && (best < 0 || (2L * taken[p] + 1) * partitionSizes[best]
              < (2L * taken[best] + 1) * partitionSizes[p])) {
            best = p;
          }
        }
        taken[best]++;
      }
      starts[s] = taken.clone();
    }
    JOINT_STARTS.put(key, starts);
    return starts;
  }

  private boolean ownCutsFit() {
    for (int s = 0; s < steps; s++) {
      long rows = 0;
      for (int p = 0; p < partitionSizes.length; p++) {
        rows += ownStart(p, s + 1) - ownStart(p, s);
      }
      if (rows < 1 || rows > batchSize) {
        return false;
      }
    }
    return true;
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
