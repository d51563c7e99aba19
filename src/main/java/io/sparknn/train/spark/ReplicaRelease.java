package io.sparknn.train.spark;

import java.util.List;
import org.apache.spark.Partition;
import org.apache.spark.SparkContext;
import org.apache.spark.TaskContext;
import org.apache.spark.rdd.RDD;
import scala.reflect.ClassTag$;
import scala.reflect.ClassTag;

/**
 * The job that ends a run on the executors: one task per partition of the run's data, each dropping the run's
 * pooled replicas ({@link ReplicaPool#release}) in the JVM it runs in, without reading the data. As a narrow
 * child of the cached data it is scheduled where the data's partitions live, which is where the run's tasks
 * ran. The driver's own pool (local mode) is released directly as well.
 */
final class ReplicaRelease<T> extends RDD<Boolean> {
  private static final ClassTag<Object> ANY = ClassTag$.MODULE$.Any();
  private final String runId;

  private ReplicaRelease(RDD<T> data, String runId) {
    super(data, ClassTag$.MODULE$.apply(Boolean.class));
    this.runId = runId;
  }

  /** Releases run {@code runId}'s replicas on the executors that hold {@code data} and in this JVM. */
  static <T> void run(SparkContext sc, RDD<T> data, String runId) {
    ReplicaPool.release(runId);
    if (!sc.isStopped()) {
      PartitionJobs.onePerPartition(sc, new ReplicaRelease<>(data, runId), Boolean.class);
    }
  }

  @Override
  public scala.collection.Iterator<Boolean> compute(Partition split, TaskContext context) {
    ReplicaPool.release(runId);
    return scala.jdk.javaapi.CollectionConverters.asScala(List.of(Boolean.TRUE).iterator());
  }

  @Override
  public Partition[] getPartitions() {
    return firstParent(ANY).partitions();
  }
}
