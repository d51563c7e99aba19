package io.sparknn.train.spark;

import io.sparknn.data.BatchSchedule;
import io.sparknn.data.Dataset;
import io.sparknn.data.ShardPlan;
import io.sparknn.nn.ModelSpec;
import io.sparknn.nn.Sequential;
import io.sparknn.nn.criterion.CriterionSpec;
import io.sparknn.tensor.PackedDoubles;
import io.sparknn.tensor.PackedFloats;
import io.sparknn.train.Objective;
import io.sparknn.train.PartitionResult;
import io.sparknn.train.PartitionSums;
import io.sparknn.train.Target;
import io.sparknn.train.TrainingOptions;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * An executor's copy of the model with its buffers, kept between iterations (see {@link ReplicaPool}) so an
 * iteration allocates nothing but its result: load the broadcast weights, compute one partition's gradient
 * sum for one step of the schedule.
 */
final class Replica {
  private final Sequential model;
  private final Objective objective;
  private final PartitionSums sums;
  // The epoch's permutation of every partition this replica has served: tasks borrow any pooled replica, so a
  // replica keyed on its last partition alone would reshuffle (30,000 rows on MNIST) on most iterations.
  private int[][] perms = new int[0][];
  private int[] permEpochs = new int[0];

  Replica(ModelSpec spec, CriterionSpec criterion, Target target) {
    this.model = spec.build(0).inputGradient(false);
    this.objective = new Objective(criterion.build(), target);
    this.sums = new PartitionSums(model, objective);
  }

  Sequential model() {
    return model;
  }

  Objective objective() {
    return objective;
  }

  /** Copies weights and running statistics from the packed flat vector the driver broadcast. */
  void load(byte[] weightsAndState) {
    load(ByteBuffer.wrap(weightsAndState));
  }

  /** As {@link #load(byte[])}, from the packed vector's remaining bytes (as a channel task receives them). */
  void load(ByteBuffer weightsAndState) {
    double[] w = model.parameters();
    double[] s = model.state();
    if (WireFormat.of(weightsAndState.remaining(), w.length + s.length, "the packed weights")
        == WireFormat.FLOAT32) {
      PackedFloats.unpack(weightsAndState, 0, w);
      PackedFloats.unpack(weightsAndState, w.length, s);
    } else {
      PackedDoubles.unpack(weightsAndState, 0, w);
      PackedDoubles.unpack(weightsAndState, w.length, s);
    }
  }

  /** Copies weights and running statistics from the driver's own arrays (a task in the driver's JVM). */
  void load(double[] parameters, double[] state) {
    System.arraycopy(parameters, 0, model.parameters(), 0, parameters.length);
    System.arraycopy(state, 0, model.state(), 0, state.length);
  }

  /**
   * Gradient and loss sums of partition {@code p}'s share of ({@code epoch}, {@code step}), over {@code shards}'
   * fixed row shards unless it is null, the gradient packed as float32 if {@code float32}.
   */
  PartitionResult gradient(Dataset part, int p, BatchSchedule schedule, ShardPlan shards, int epoch, int step,
      TrainingOptions options, boolean float32) {
    // A copy: the result outlives the task (serialised, or handed to the driver by reference in local mode)
    // while this replica goes back to the pool and its gradient buffer to the next task.
    return sums(part, p, schedule, shards, epoch, step, options).toResult(float32);
  }

  /**
   * Partition {@code p}'s sums of ({@code epoch}, {@code step}), over {@code shards}' fixed row shards unless it
   * is null ({@code schedule} is then the plan's), left in this replica's buffers: valid only until the replica
   * computes again, so the caller copies what it returns before giving the replica back. With local steps
   * ({@link TrainingOptions#localSteps}) {@code step} starts a round, which runs to the round's length or the
   * epoch's end, whichever comes first (as the driver's loop cuts it), and the sums are the round's
   * ({@link PartitionSums#computeLocalSteps}); the replica's weights are then the round's end, replaced by the
   * next load.
   */
  PartitionSums sums(Dataset part, int p, BatchSchedule schedule, ShardPlan shards, int epoch, int step,
      TrainingOptions options) {
    long iteration = schedule.iteration(epoch, step);
    if (options.localSteps() > 1) {
      int steps = Math.min(options.localSteps(), schedule.stepsPerEpoch() - step);
      return sums.computeLocalSteps(part, permutation(schedule, null, epoch, p), schedule, p, epoch, step, steps,
          options);
    }
    if (shards == null) {
      return sums.compute(part, permutation(schedule, null, epoch, p), schedule, p, step, iteration, options);
    }
    int first = shards.firstShard(p);
    for (int k = first; k < first + shards.shardCount(p); k++) {
      permutation(schedule, shards, epoch, k);
    }
    return sums.computeShards(part, perms, shards, p, step, iteration, options);
  }

  /** The epoch's permutation of unit {@code u}: a partition, or a shard of {@code shards} when it is not null. */
  private int[] permutation(BatchSchedule schedule, ShardPlan shards, int epoch, int u) {
    if (u >= perms.length) {
      int old = perms.length;
      perms = Arrays.copyOf(perms, schedule.partitions());
      permEpochs = Arrays.copyOf(permEpochs, schedule.partitions());
      Arrays.fill(permEpochs, old, permEpochs.length, -1);
    }
    if (permEpochs[u] != epoch) {
      perms[u] = shards == null ? schedule.permutation(epoch, u) : shards.permutation(epoch, u);
      permEpochs[u] = epoch;
    }
    return perms[u];
  }
}
