package io.sparknn.train;

import java.util.Arrays;

/**
 * Adds the sums of consecutive row shards along one fixed binary tree, so the result does not depend on how the
 * shards were grouped before they got here. Blocks come in shard order, each the sum over {@code span} shards
 * (a power of two) that starts at a multiple of its span; two neighbouring blocks of one span are added
 * ({@code left + right}) as soon as both are here, like the carries of a binary counter. So a block that is one
 * task's sum over its 4 shards is exactly the node its 4 leaves would have made here one by one, and the root
 * over {@code 2^k} shards is the same bits whether one JVM added all the leaves or {@code P} tasks each added
 * {@code 2^k / P} of them and the driver added the {@code P} blocks. Gradient, loss, rows and running statistics
 * go up the tree together. The buffers are reused from one sum to the next; not thread-safe.
 */
public final class PairwiseSum {
  private double[][] gradients = new double[0][];
  private double[][] states = new double[0][];
  private double[] losses = new double[0];
  private long[] rows = new long[0];
  private long[] spans = new long[0];
  private int depth;
  private int parameters;
  private int stateValues;

  /** Starts a sum of blocks of {@code parameters} gradient values and {@code stateValues} running statistics. */
  public PairwiseSum reset(int parameters, int stateValues) {
    this.parameters = parameters;
    this.stateValues = stateValues;
    depth = 0;
    return this;
  }

  /** The buffer the next block's gradient sum is written into, every value, before {@link #commit}. */
  public double[] next() {
    if (depth == gradients.length) {
      int n = depth + 1;
      gradients = Arrays.copyOf(gradients, n);
      states = Arrays.copyOf(states, n);
      losses = Arrays.copyOf(losses, n);
      rows = Arrays.copyOf(rows, n);
      spans = Arrays.copyOf(spans, n);
    }
    if (gradients[depth] == null || gradients[depth].length != parameters) {
      gradients[depth] = new double[parameters];
    }
    if (states[depth] == null || states[depth].length != stateValues) {
      states[depth] = new double[stateValues];
    }
    return gradients[depth];
  }

  /**
   * Adds the block whose gradient sum is in {@link #next()}'s buffer, with its loss sum, rows, running statistics
   * times rows, and the number of shards it covers; completed pairs are added at once.
   */
  public void commit(double lossSum, long rowCount, double[] stateSum, long span) {
    if (span <= 0 || Long.bitCount(span) != 1) {
      throw new IllegalArgumentException("a block covers a power of two of shards, not " + span);
    }
    if (depth > 0 && span > spans[depth - 1]) {
      throw new IllegalStateException("a block of " + span + " shards after one of " + spans[depth - 1]
          + " does not start at a multiple of its span");
    }
    next();
    System.arraycopy(stateSum, 0, states[depth], 0, stateValues);
    losses[depth] = lossSum;
    rows[depth] = rowCount;
    spans[depth] = span;
    depth++;
    while (depth >= 2 && spans[depth - 1] == spans[depth - 2]) {
      addInto(gradients[depth - 2], gradients[depth - 1]);
      addInto(states[depth - 2], states[depth - 1]);
      losses[depth - 2] += losses[depth - 1];
      rows[depth - 2] += rows[depth - 1];
      spans[depth - 2] *= 2;
      depth--;
    }
  }

  /** Copies {@code gradientSum} into {@link #next()} and commits it. */
  public void push(double[] gradientSum, double lossSum, long rowCount, double[] stateSum, long span) {
    System.arraycopy(gradientSum, 0, next(), 0, parameters);
    commit(lossSum, rowCount, stateSum, span);
  }

  private static void addInto(double[] left, double[] right) {
    for (int i = 0; i < left.length; i++) {
      left[i] += right[i];
    }
  }

  /** Shards covered so far. */
  public long span() {
    long s = 0;
    for (int i = 0; i < depth; i++) {
      s += spans[i];
    }
    return s;
  }

  /** The root's gradient sum (every block added, into one). */
  public double[] gradient() {
    return gradients[root()];
  }

  /** The root's running statistics times rows. */
  public double[] state() {
    return states[root()];
  }

  public double lossSum() {
    return losses[root()];
  }

  public long rows() {
    return rows[root()];
  }

  private int root() {
    if (depth != 1) {
      throw new IllegalStateException(depth == 0 ? "no block added yet"
          : "the " + span() + " shards added so far are not a power of two, so they have no single root yet");
    }
    return 0;
  }
}
