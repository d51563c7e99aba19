package io.sparknn.train.spark;

import io.sparknn.data.Dataset;
import io.sparknn.nn.ModelSpec;
import io.sparknn.nn.criterion.CriterionSpec;
import io.sparknn.train.Target;
import java.util.List;
import org.apache.spark.Partition;
import org.apache.spark.TaskContext;
import org.apache.spark.rdd.RDD;
import scala.reflect.ClassTag$;
import scala.reflect.ClassTag;

/**
 * One iteration's RDD: one result per partition of the cached training (or test) data, computed by a
 * {@link ReplicaTask} on the executor's pooled {@link Replica} after loading the broadcast weights into it.
 *
 * <p>It is an RDD subclass rather than {@code mapPartitions(lambda)} because Spark runs its ClosureCleaner on
 * every closure handed to an RDD operation or to {@code collect}, and for Scala's wrapper closures that means
 * parsing the bytecode of {@code RDD}/{@code JavaRDDLike}/{@code SparkContext} with ASM on every job, most of the
 * driver's CPU in a loop of bare jobs (the README's "How it is built" has the profile). This class and
 * {@link PartitionJobs} keep the cleaner off the per-iteration path; the parent's cache locations still give the
 * tasks their locality.
 */
final class ReplicaRDD<R> extends RDD<R> {
  private static final ClassTag<Object> ANY = ClassTag$.MODULE$.Any();
  private final WeightsShipment.Shipped weights;
  private final ModelSpec spec;
  private final CriterionSpec criterion;
  private final Target target;
  private final String runId;
  private final ReplicaTask<R> task;
  private final TaskClock clock;

  /** @param clock where the tasks add their weight-loading and compute times, or null */
  ReplicaRDD(RDD<Dataset> data, Class<R> resultClass, WeightsShipment.Shipped weights, ModelSpec spec,
      CriterionSpec criterion, Target target, String runId, ReplicaTask<R> task, TaskClock clock) {
    super(data, ClassTag$.MODULE$.apply(resultClass));
    this.weights = weights;
    this.spec = spec;
    this.criterion = criterion;
    this.target = target;
    this.runId = runId;
    this.task = task;
    this.clock = clock;
  }

  @Override
  public scala.collection.Iterator<R> compute(Partition split, TaskContext context) {
    Dataset part = (Dataset) firstParent(ANY).iterator(split, context).next();
    Replica replica = ReplicaPool.borrow(runId, spec, criterion, target);
    R result;
    try {
      long t0 = System.nanoTime();
      replica.load(weights.value());
      long t1 = System.nanoTime();
      result = task.run(replica, part, split.index(), context.attemptNumber());
      if (clock != null) {
        clock.addWeights(t1 - t0);
        clock.addCompute(System.nanoTime() - t1);
      }
    } finally {
      ReplicaPool.giveBack(runId, spec, criterion, target, replica);
    }
    return scala.jdk.javaapi.CollectionConverters.asScala(List.of(result).iterator());
  }

  @Override
  public Partition[] getPartitions() {
    return firstParent(ANY).partitions();
  }
}
