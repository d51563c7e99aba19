package io.sparknn.train;

import io.sparknn.data.BatchSchedule;
import io.sparknn.data.Dataset;
import io.sparknn.data.ShardPlan;
import io.sparknn.nn.Sequential;
import io.sparknn.nn.criterion.Reduction;
import io.sparknn.optim.Optimizer;
import io.sparknn.tensor.Seeds;

/**
 * The homework's training loop in one JVM, and the reference the Spark trainer must match: for each mini-batch,
 * zero the gradients, forward, criterion, backward, optimizer step.
 *
 * <p>Mini-batches come from a {@link BatchSchedule}. Given one data set it is the homework's loop (shuffle each
 * epoch, walk through in batches); given the same partitions a Spark run uses, it assembles exactly the global
 * batches that run's executors draw, each partition's share in partition order, and so replays it. The
 * criterion is asked for the mean over the batch (Torch's default); Dropout masks are seeded per iteration.
 * Deterministic: the same model, data, options and seed give bit-identical weights. Over fixed row shards
 * ({@link TrainingOptions#shards}) it always computes as the Spark trainer's tasks and driver do, shard by shard
 * and along the shards' tree, and ends in the same bits with any number of partitions up to the shard count.
 * With local steps ({@link TrainingOptions#localSteps}) it always computes partition by partition too, each
 * partition's round on its own, as the Spark trainer's tasks do.
 */
public final class LocalTrainer extends Trainer {
  private final Objective objective;
  private final MiniBatch batch = new MiniBatch();
  private final GradientSum sum = new GradientSum();
  private PartitionSums partitionSums;
  private double[] startState = new double[0];
  private double[] startWeights = new double[0];
  private boolean replayTasks;

  public LocalTrainer(Sequential model, Objective objective, Optimizer optimizer, TrainingOptions options) {
    super(model, optimizer, options);
    this.objective = objective;
    model.inputGradient(false);
  }

  /**
   * Computes each iteration's gradient partition by partition, exactly as
   * {@link io.sparknn.train.spark.SparkTrainer}'s tasks and driver do, with the same {@link PartitionSums} and
   * {@link GradientSum}: each partition's share of the global batch on its own, its Dropout masks seeded by
   * (seed, iteration, partition), its batch statistics from its share alone, running statistics averaged
   * weighted by rows, and the gradient and loss sums added in partition order and divided once. Trained on the
   * partitions of a Spark run, the weights then end bit-identical to that run's (given the same BLAS), models
   * with Dropout or batch normalisation included. Off by default: the plain loop treats the global batch as one.
   */
  public LocalTrainer replayTasks() {
    this.replayTasks = true;
    return this;
  }

  /**
   * Trains on {@code train} as one partition for the configured epochs; evaluates on {@code validation} (may be
   * null).
   */
  public void fit(Dataset train, Dataset validation, TrainingListener listener) {
    fit(new Dataset[] {train}, validation, listener);
  }

  /** Trains on the partitions as a Spark run with these partitions would, for the remaining epochs. */
  public void fit(Dataset[] partitions, Dataset validation, TrainingListener listener) {
    ShardPlan shards = shards(partitions);
    BatchSchedule schedule = shards != null ? shards.schedule() : schedule(partitions);
    int cols = partitions[0].cols();
    int[][][] perms = new int[1][][];
    int[] permEpoch = {-1};
    loop.run(schedule, options.epochs(), options.localSteps(), update, model.parameters(),
        (epoch, step, steps, iteration) -> {
          if (permEpoch[0] != epoch) {
            perms[0] = permutations(schedule, shards, epoch);
            permEpoch[0] = epoch;
          }
          double loss = options.localSteps() > 1
              ? meanGradientByPartition(partitions, perms[0], schedule, null, epoch, step, steps, iteration)
              : meanGradient(partitions, perms[0], schedule, shards, epoch, step, iteration, cols);
          update.apply(model.parameters(), model.gradParameters(), loss, epoch, iteration);
          return loss;
        }, () -> validation == null ? null : evaluate(validation), listener);
  }

  /** Leaves the mean gradient of the batch in {@code model.gradParameters()} and returns the mean loss. */
  private double meanGradient(Dataset[] partitions, int[][] perms, BatchSchedule schedule, ShardPlan shards,
      int epoch, int step, long iteration, int cols) {
    if (replayTasks || shards != null) {
      return meanGradientByPartition(partitions, perms, schedule, shards, epoch, step, 0, iteration);
    }
    batch.prepare(schedule.globalBatchRows(step), cols);
    int offset = 0;
    for (int p = 0; p < partitions.length; p++) {
      offset += batch.fill(partitions[p], perms[p], schedule, p, step, iteration, offset, options);
    }
    model.training();
    model.reseed(Seeds.mix(options.seed(), iteration));
    model.zeroGradParameters();
    return objective.lossAndGradient(model, batch.input(), batch.labels(), batch.targets(), Reduction.MEAN);
  }

  /**
   * {@link #meanGradient} as {@link io.sparknn.train.spark.SparkTrainer}'s tasks and driver compute it: each
   * partition on its own, over {@code shards}' fixed row shards unless it is null (shard by shard, added along the
   * shards' tree within the partition and then across the partitions, so the same bits for every number of
   * partitions up to the shards'). With {@code roundSteps > 0}, a round of local SGD of that many steps from
   * {@code step} instead: each partition's {@link PartitionSums#computeLocalSteps} from the round's starting
   * weights, which the model holds again afterwards.
   */
  private double meanGradientByPartition(Dataset[] partitions, int[][] perms, BatchSchedule schedule,
      ShardPlan shards, int epoch, int step, int roundSteps, long iteration) {
    if (partitionSums == null) {
      partitionSums = new PartitionSums(model, objective);
    }
    double[] w = model.parameters();
    double[] state = model.state();
    if (startState.length != state.length) {
      startState = new double[state.length];
    }
    System.arraycopy(state, 0, startState, 0, state.length);
    if (roundSteps > 0) {
      startWeights = startWeights.length == w.length ? startWeights : new double[w.length];
      System.arraycopy(w, 0, startWeights, 0, w.length);
    }
    sum.reset(model.parameterCount(), state.length);
    for (int p = 0; p < partitions.length; p++) {
      // Each task starts from the broadcast weights and running statistics, not from another partition's update.
      System.arraycopy(startState, 0, state, 0, state.length);
      if (roundSteps > 0) {
        System.arraycopy(startWeights, 0, w, 0, w.length);
      }
      sum.add(roundSteps > 0
          ? partitionSums.computeLocalSteps(partitions[p], perms[p], schedule, p, epoch, step, roundSteps, options)
          : shards == null ? partitionSums.compute(partitions[p], perms[p], schedule, p, step, iteration, options)
          : partitionSums.computeShards(partitions[p], perms, shards, p, step, iteration, options));
    }
    if (roundSteps > 0) {
      System.arraycopy(startWeights, 0, w, 0, w.length);
    }
    return sum.finish(model.gradParameters(), state);
  }

  /**
   * The mean gradient of the global batch at ({@code epoch}, {@code step}) of a run on {@code partitions},
   * without updating anything: what the Spark trainer's driver must compute for the same position.
   */
  public double[] gradientAt(Dataset[] partitions, int epoch, int step) {
    ShardPlan shards = shards(partitions);
    BatchSchedule schedule = shards != null ? shards.schedule() : schedule(partitions);
    meanGradient(partitions, permutations(schedule, shards, epoch), schedule, shards, epoch, step,
        schedule.iteration(epoch, step), partitions[0].cols());
    return model.gradParameters().clone();
  }

  /** Loss, accuracy and confusion matrix of the model on {@code data}, in evaluation mode. */
  public Evaluation evaluate(Dataset data) {
    return Evaluator.evaluate(model, objective, data);
  }

  private BatchSchedule schedule(Dataset[] partitions) {
    return new BatchSchedule(options.seed(), sizes(partitions), options.batchSize());
  }

  /**
   * The fixed row shards of {@code partitions} when the options ask for them, else null; the sum set to add along
   * their tree or in partition order.
   */
  private ShardPlan shards(Dataset[] partitions) {
    ShardPlan plan = options.shards() == 0 ? null
        : ShardPlan.of(options.seed(), sizes(partitions), options.batchSize(), options.shards());
    sum.pairwise(plan == null ? null : plan.spans());
    return plan;
  }

  private static int[] sizes(Dataset[] partitions) {
    int[] sizes = new int[partitions.length];
    for (int p = 0; p < sizes.length; p++) {
      sizes[p] = partitions[p].rows();
    }
    return sizes;
  }

  /** The epoch's permutation of every unit of {@code schedule}: partitions, or the shards of {@code shards}. */
  private static int[][] permutations(BatchSchedule schedule, ShardPlan shards, int epoch) {
    int[][] perms = new int[schedule.partitions()][];
    for (int u = 0; u < perms.length; u++) {
      perms[u] = shards == null ? schedule.permutation(epoch, u) : shards.permutation(epoch, u);
    }
    return perms;
  }
}
