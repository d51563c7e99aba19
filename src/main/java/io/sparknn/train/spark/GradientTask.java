package io.sparknn.train.spark;

import io.sparknn.data.BatchSchedule;
import io.sparknn.data.Dataset;
import io.sparknn.data.ShardPlan;
import io.sparknn.train.PartitionResult;
import io.sparknn.train.PartitionSums;
import io.sparknn.train.TrainingOptions;

/**
 * The executor side of one training iteration: partition {@code p}'s gradient and loss sums for step
 * ({@code epoch}, {@code step}) of the schedule, over fixed row shards when there is a {@link ShardPlan}. Can
 * inject an {@link InjectedFault} so tests and the soak can watch Spark retry a task.
 */
final class GradientTask implements ReplicaTask<PartitionResult> {
  private final BatchSchedule schedule;
  private final ShardPlan shards;
  private final int epoch;
  private final int step;
  private final TrainingOptions options;
  private final InjectedFault fault;
  private final WireFormat wire;

  /** @param shards the fixed row shards, or null ({@code schedule} is then the plan's) */
  GradientTask(BatchSchedule schedule, ShardPlan shards, int epoch, int step, TrainingOptions options,
      InjectedFault fault, WireFormat wire) {
    this.schedule = schedule;
    this.shards = shards;
    this.epoch = epoch;
    this.step = step;
    this.options = options;
    this.fault = fault;
    this.wire = wire;
  }

  @Override
  public PartitionResult run(Replica replica, Dataset part, int p, int attempt) {
    failIfChosen(p, attempt);
    return replica.gradient(part, p, schedule, shards, epoch, step, options, wire == WireFormat.FLOAT32);
  }

  /** Partition {@code p}'s sums in {@code replica}'s buffers (the sliced aggregation's map side). */
  PartitionSums sums(Replica replica, Dataset part, int p, int attempt) {
    failIfChosen(p, attempt);
    return replica.sums(part, p, schedule, shards, epoch, step, options);
  }

  /** How many fixed row shards each partition holds, whose sums are added along their tree; null without shards. */
  int[] shardSpans() {
    return shards == null ? null : shards.spans();
  }

  private void failIfChosen(int p, int attempt) {
    fault.check(schedule.iteration(epoch, step), p, attempt);
  }
}
