package io.sparknn.train;

import io.sparknn.data.BatchSchedule;
import io.sparknn.data.Dataset;
import io.sparknn.tensor.Matrix;
import io.sparknn.tensor.Seeds;
import java.util.SplittableRandom;

/**
 * Reusable buffers for one mini-batch and the code that fills them from partitions as {@link BatchSchedule}
 * says, augmenting each partition's rows with a generator seeded by (seed, iteration, partition). Because the
 * rows and the augmentation of a partition's share depend only on that tuple, a Spark task computing one
 * partition's share and {@code LocalTrainer} assembling all shares into one batch see the same numbers.
 */
public final class MiniBatch {
  private Matrix input;
  private int[] labels = new int[0];
  private Matrix targets;

  /** Sizes the buffers for {@code rows × cols} (reusing them when they are large enough). */
  public Matrix prepare(int rows, int cols) {
    input = Matrix.reuse(input, rows, cols);
    if (labels.length < rows) {
      labels = new int[rows];
    }
    return input;
  }

  /**
   * Copies partition {@code p}'s share of {@code step} (positions {@code [start, end)} of {@code perm}) to rows
   * starting at {@code rowOffset}, then augments them; returns the number of rows written.
   */
  public int fill(Dataset part, int[] perm, BatchSchedule schedule, int p, int step, long iteration, int rowOffset,
      TrainingOptions options) {
    int from = schedule.start(p, step);
    int to = schedule.end(p, step);
    int n = to - from;
    if (n == 0) {
      return 0;
    }
    part.gather(perm, from, to, input.rowRange(rowOffset, rowOffset + n),
        part.hasLabels() ? labels : null, rowOffset);
    if (part.hasTargets()) {
      targets = Matrix.reuse(targets, input.rows(), part.targetCols());
      part.gatherTargets(perm, from, to, targets.rowRange(rowOffset, rowOffset + n));
    }
    if (options.augmentation() != null) {
      SplittableRandom rng = new SplittableRandom(Seeds.mix(options.seed(), iteration, p, 0xA06));
      options.augmentation().apply(input, rowOffset, rowOffset + n, rng, part.zeroValue());
    }
    return n;
  }

  public Matrix input() {
    return input;
  }

  /** The real-valued targets of the batch (rows as {@link #input()}), or null when its data has none. */
  public Matrix targets() {
    return targets;
  }

  /** The labels of the batch (the buffer may be longer than the batch; criteria read the first rows). */
  public int[] labels() {
    return labels;
  }
}
