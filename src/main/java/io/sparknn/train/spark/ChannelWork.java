package io.sparknn.train.spark;

import io.sparknn.data.BatchSchedule;
import io.sparknn.data.ShardPlan;
import io.sparknn.nn.ModelSpec;
import io.sparknn.nn.criterion.CriterionSpec;
import io.sparknn.train.Target;
import io.sparknn.train.TrainingOptions;
import java.io.Serializable;

/**
 * What every task of a {@link ChannelSession} needs to compute its partition's sums for any step of one run:
 * the model to build (and the run whose pooled replicas it reuses), the schedule (over the fixed row shards when
 * {@code shards} is not null), the options, the wire format of its replies, how the sums are added
 * ({@link Aggregation#SLICED}: among the tasks, over a {@link PeerMesh}, when they run outside the driver's JVM)
 * and the fault to inject, if any.
 */
record ChannelWork(ModelSpec spec, CriterionSpec criterion, Target target, String runId, BatchSchedule schedule,
    ShardPlan shards, TrainingOptions options, WireFormat wire, Aggregation aggregation, InjectedFault fault)
    implements Serializable {

  /** The same work with its sums added as {@code how} says. */
  ChannelWork withAggregation(Aggregation how) {
    return new ChannelWork(spec, criterion, target, runId, schedule, shards, options, wire, how, fault);
  }
}
