package io.sparknn.train;

import io.sparknn.data.BatchSchedule;
import io.sparknn.data.Dataset;
import io.sparknn.data.ShardPlan;
import io.sparknn.nn.Sequential;
import io.sparknn.nn.criterion.Reduction;
import io.sparknn.optim.GradientClipping;
import io.sparknn.tensor.PackedDoubles;
import io.sparknn.tensor.PackedFloats;
import io.sparknn.tensor.Seeds;
import java.util.Arrays;

/**
 * One partition's share of one training step, computed on a model: the sums over its rows of the parameter
 * gradients, of the loss and of the running statistics the step leaves (times the rows, so that their
 * row-weighted mean over partitions is the global update). A Spark task and {@link LocalTrainer}'s replay both
 * call {@link #compute}, so both produce the same doubles for {@link GradientSum} to add. The buffers (the
 * mini-batch, the state sum) are reused from step to step; the gradient sum is the model's own gradient array.
 * Not thread-safe.
 */
public final class PartitionSums {
  private final Sequential model;
  private final Objective objective;
  private final MiniBatch batch = new MiniBatch();
  private final PairwiseSum shardSum = new PairwiseSum();
  private double[] startState = new double[0];
  private double[] startWeights = new double[0];
  private double[] stateSum = new double[0];
  private double lossSum;
  private int rows;

  public PartitionSums(Sequential model, Objective objective) {
    this.model = model;
    this.objective = objective;
  }

  /**
   * Computes partition {@code p}'s sums for {@code step}: its rows (positions {@code [start, end)} of
   * {@code perm}), augmented, forward and backward in training mode with Dropout seeded by (seed,
   * {@code iteration}, {@code p}). The model must hold the weights and running statistics the step starts from.
   * An empty share gives zero sums and leaves the model's weights and statistics alone. Returns this.
   */
  public PartitionSums compute(Dataset part, int[] perm, BatchSchedule schedule, int p, int step, long iteration,
      TrainingOptions options) {
    int n = schedule.end(p, step) - schedule.start(p, step);
    double[] state = model.state();
    if (stateSum.length != state.length) {
      stateSum = new double[state.length];
    }
    rows = n;
    model.zeroGradParameters();
    if (n == 0) {
      lossSum = 0;
      Arrays.fill(stateSum, 0.0);
      return this;
    }
    batch.prepare(n, part.cols());
    batch.fill(part, perm, schedule, p, step, iteration, 0, options);
    model.training();
    model.reseed(Seeds.mix(options.seed(), iteration, p));
    lossSum = objective.lossAndGradient(model, batch.input(), batch.labels(), batch.targets(), Reduction.SUM);
    for (int i = 0; i < state.length; i++) {
      stateSum[i] = state[i] * n;
    }
    return this;
  }

  /**
   * Computes partition {@code p}'s sums for {@code step} over {@code plan}'s fixed shards: each shard's rows on
   * their own, as {@link #compute} computes a partition's ({@code perms[k]} is shard {@code k}'s
   * {@link ShardPlan#permutation}, its schedule and seeds are the plan's), every shard from the running
   * statistics the step starts from, and their sums added along the plan's tree ({@link PairwiseSum}) into this
   * partition's node. Returns this, the sums where {@link #compute} leaves them.
   */
  public PartitionSums computeShards(Dataset part, int[][] perms, ShardPlan plan, int p, int step, long iteration,
      TrainingOptions options) {
    double[] state = model.state();
    if (startState.length != state.length) {
      startState = new double[state.length];
    }
    System.arraycopy(state, 0, startState, 0, state.length);
    shardSum.reset(model.parameterCount(), state.length);
    int first = plan.firstShard(p);
    for (int k = first; k < first + plan.shardCount(p); k++) {
      System.arraycopy(startState, 0, state, 0, state.length);
      compute(part, perms[k], plan.schedule(), k, step, iteration, options);
      shardSum.push(model.gradParameters(), lossSum, rows, stateSum, 1);
    }
    System.arraycopy(shardSum.gradient(), 0, model.gradParameters(), 0, model.parameterCount());
    System.arraycopy(shardSum.state(), 0, stateSum, 0, stateSum.length);
    lossSum = shardSum.lossSum();
    rows = (int) shardSum.rows();
    return this;
  }

  /**
   * Partition {@code p}'s sums of a round of local SGD ({@link TrainingOptions#localSteps}): from the weights the
   * model holds, {@code steps} plain SGD steps over its shares of the global batches from {@code step} on, each
   * computed as {@link #compute} computes one and followed by {@code w -= rate / rows · gradientSum} at that
   * iteration's scheduled rate (a step with no rows on this partition is skipped, its decay too), its mean
   * gradient {@code gradientSum / rows} clipped to {@link TrainingOptions#clipNorm} first when that is set, as a
   * synchronous step clips the global batch's, and {@code rate · localWeightDecay · w} taken off too when that is
   * set, as SGD's weight decay does. The sums left are those of a gradient whose row-weighted mean over the
   * partitions, stepped at the round's last rate, moves the weights by the partitions' row-weighted mean
   * displacement: the gradient sum is {@code rows · (start − end) / lastRate}, the loss sum
   * adds every step's, the rows are the round's, and the running statistics are the round's last times them.
   * Leaves the model at the round's end weights. Returns this.
   */
  public PartitionSums computeLocalSteps(Dataset part, int[] perm, BatchSchedule schedule, int p, int epoch,
      int step, int steps, TrainingOptions options) {
    double[] w = model.parameters();
    if (startWeights.length != w.length) {
      startWeights = new double[w.length];
    }
    System.arraycopy(w, 0, startWeights, 0, w.length);
    double roundLoss = 0;
    int roundRows = 0;
    for (int k = 0; k < steps; k++) {
      long iteration = schedule.iteration(epoch, step + k);
      compute(part, perm, schedule, p, step + k, iteration, options);
      if (rows == 0) {
        continue;
      }
      roundLoss += lossSum;
      roundRows += rows;
      double[] g = model.gradParameters();
      double rate = options.rate(epoch, iteration);
      double scale = rate / rows;
      if (options.clipNorm() > 0) {
        double norm = GradientClipping.norm(g) / rows;
        // a norm that is not finite is left to the driver's divergence rule, as in a synchronous step
        if (norm > options.clipNorm() && Double.isFinite(norm)) {
          scale *= options.clipNorm() / norm;
        }
      }
      double decay = options.localWeightDecay();
      // without decay, no "+ 0·w" term: it could turn a -0.0 step into +0.0 and change the bits
      if (decay == 0) {
        for (int i = 0; i < w.length; i++) {
          w[i] -= scale * g[i];
        }
      } else {
        for (int i = 0; i < w.length; i++) {
          w[i] -= scale * g[i] + rate * decay * w[i];
        }
      }
    }
    double toGradient = roundRows / options.rate(epoch, schedule.iteration(epoch, step + steps - 1));
    double[] g = model.gradParameters();
    for (int i = 0; i < w.length; i++) {
      g[i] = (startWeights[i] - w[i]) * toGradient;
    }
    double[] state = model.state();
    for (int i = 0; i < state.length; i++) {
      stateSum[i] = state[i] * roundRows;
    }
    lossSum = roundLoss;
    rows = roundRows;
    return this;
  }

  /** The gradient sum: the model's gradient array, valid until the model's next backward. */
  public double[] gradientSum() {
    return model.gradParameters();
  }

  public double lossSum() {
    return lossSum;
  }

  public int rows() {
    return rows;
  }

  /** The running statistics after the step times {@link #rows()} (a reused buffer). */
  public double[] stateSum() {
    return stateSum;
  }

  /**
   * A copy of these sums that outlives the next {@link #compute}, the gradient packed for the wire: what a task
   * returns, serialised or handed to the driver by reference while its model serves the next task.
   */
  public PartitionResult toResult() {
    return toResult(false);
  }

  /** As {@link #toResult()}, the gradient rounded to float32 ({@link PackedFloats}) if {@code float32}. */
  public PartitionResult toResult(boolean float32) {
    double[] g = model.gradParameters();
    byte[] packed = float32 ? PackedFloats.pack(g) : PackedDoubles.pack(g);
    return new PartitionResult(packed, lossSum, rows, stateSum.clone());
  }
}
