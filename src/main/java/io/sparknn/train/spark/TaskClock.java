package io.sparknn.train.spark;

import java.io.Serializable;
import org.apache.spark.SparkContext;
import org.apache.spark.util.LongAccumulator;

/**
 * What the training tasks measure on the executors and Spark's accumulators bring back with their results:
 * nanoseconds spent fetching and unpacking the broadcast weights, and computing. Spark's own task metrics cover
 * the rest (deserialisation, result serialisation, result sizes); {@link IterationTimes} holds the driver's side.
 */
public final class TaskClock implements Serializable {
  private final LongAccumulator weightsNs;
  private final LongAccumulator computeNs;

  TaskClock(SparkContext sc) {
    this.weightsNs = sc.longAccumulator("sparknn broadcast fetch ns");
    this.computeNs = sc.longAccumulator("sparknn compute ns");
  }

  void addWeights(long ns) {
    weightsNs.add(ns);
  }

  void addCompute(long ns) {
    computeNs.add(ns);
  }

  /** Nanoseconds all tasks spent fetching and loading the weights, so far. */
  public long weightsNs() {
    return weightsNs.value();
  }

  /** Nanoseconds all tasks spent computing their sums, so far. */
  public long computeNs() {
    return computeNs.value();
  }
}
