package io.sparknn.train.spark;

import io.sparknn.data.BatchSchedule;
import io.sparknn.data.Dataset;
import io.sparknn.nn.ModelSpec;
import io.sparknn.nn.Sequential;
import io.sparknn.nn.criterion.CriterionSpec;
import io.sparknn.nn.criterion.Reduction;
import io.sparknn.tensor.PackedDoubles;
import io.sparknn.tensor.Seeds;
import io.sparknn.train.MiniBatch;
import io.sparknn.train.Objective;
import io.sparknn.train.PartitionResult;
import io.sparknn.train.Target;
import io.sparknn.train.TrainingOptions;
import java.util.Arrays;

/**
 * An executor's copy of the model with its buffers, kept between iterations (see {@link ReplicaPool}) so an
 * iteration allocates nothing but its result: load the broadcast weights, compute one partition's gradient
 * sum for one step of the schedule.
 */
final class Replica {
  private final Sequential model;
  private final Objective objective;
  private final MiniBatch batch = new MiniBatch();
  // The epoch's permutation of every partition this replica has served: tasks borrow any pooled replica, so a
  // replica keyed on its last partition alone would reshuffle (30,000 rows on MNIST) on most iterations.
  private int[][] perms = new int[0][];
  private int[] permEpochs = new int[0];

  Replica(ModelSpec spec, CriterionSpec criterion, Target target) {
    this.model = spec.build(0).inputGradient(false);
    this.objective = new Objective(criterion.build(), target);
  }

  Sequential model() {
    return model;
  }

  Objective objective() {
    return objective;
  }

  /** Copies weights and running statistics from the packed flat vector the driver broadcast. */
  void load(byte[] weightsAndState) {
    double[] w = model.parameters();
    double[] s = model.state();
    int count = PackedDoubles.count(weightsAndState);
    if (count != w.length + s.length) {
      throw new IllegalStateException("broadcast holds " + count + " values, the model needs " + (w.length + s.length));
    }
    PackedDoubles.unpack(weightsAndState, 0, w);
    PackedDoubles.unpack(weightsAndState, w.length, s);
  }

  /** Gradient and loss sums of partition {@code p}'s share of ({@code epoch}, {@code step}). */
  PartitionResult gradient(Dataset part, int p, BatchSchedule schedule, int epoch, int step,
      TrainingOptions options) {
    int[] perm = permutation(schedule, epoch, p);
    long iteration = schedule.iteration(epoch, step);
    int n = schedule.end(p, step) - schedule.start(p, step);
    model.zeroGradParameters();
    if (n == 0) {
      return new PartitionResult(PackedDoubles.pack(new double[model.parameterCount()]), 0, 0,
          new double[model.stateCount()]);
    }
    batch.prepare(n, part.cols());
    batch.fill(part, perm, schedule, p, step, iteration, 0, options);
    model.training();
    model.reseed(Seeds.mix(options.seed(), iteration, p));
    double loss = objective.lossAndGradient(model, batch.input(), batch.labels(), Reduction.SUM);
    double[] state = model.state();
    double[] stateSum = new double[state.length];
    for (int i = 0; i < state.length; i++) {
      stateSum[i] = state[i] * n;
    }
    // Packed into a copy: the result outlives the task (serialised, or handed to the driver by reference in local
    // mode) while this replica goes back to the pool and its gradient buffer to the next task.
    return new PartitionResult(PackedDoubles.pack(model.gradParameters()), loss, n, stateSum);
  }

  private int[] permutation(BatchSchedule schedule, int epoch, int p) {
    if (p >= perms.length) {
      int old = perms.length;
      perms = Arrays.copyOf(perms, schedule.partitions());
      permEpochs = Arrays.copyOf(permEpochs, schedule.partitions());
      Arrays.fill(permEpochs, old, permEpochs.length, -1);
    }
    if (permEpochs[p] != epoch) {
      perms[p] = schedule.permutation(epoch, p);
      permEpochs[p] = epoch;
    }
    return perms[p];
  }
}
