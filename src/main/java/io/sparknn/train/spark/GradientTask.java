package io.sparknn.train.spark;

import io.sparknn.data.BatchSchedule;
import io.sparknn.data.Dataset;
import io.sparknn.train.PartitionResult;
import io.sparknn.train.TrainingOptions;

/**
 * The executor side of one training iteration: partition {@code p}'s gradient and loss sums for step
 * ({@code epoch}, {@code step}) of the schedule. Can inject one failure (first attempt of partition 0 at a
 * chosen iteration) so tests can watch Spark retry a task.
 */
final class GradientTask implements ReplicaTask<PartitionResult> {
  private final BatchSchedule schedule;
  private final int epoch;
  private final int step;
  private final TrainingOptions options;
  private final long failAt;

  GradientTask(BatchSchedule schedule, int epoch, int step, TrainingOptions options, long failAt) {
    this.schedule = schedule;
    this.epoch = epoch;
    this.step = step;
    this.options = options;
    this.failAt = failAt;
  }

  @Override
  public PartitionResult run(Replica replica, Dataset part, int p, int attempt) {
    if (failAt == schedule.iteration(epoch, step) && p == 0 && attempt == 0) {
      throw new IllegalStateException("injected failure of partition 0 at iteration " + failAt);
    }
    return replica.gradient(part, p, schedule, epoch, step, options);
  }
}
