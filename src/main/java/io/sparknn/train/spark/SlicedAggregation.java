package io.sparknn.train.spark;

import io.sparknn.data.Dataset;
import io.sparknn.nn.ModelSpec;
import io.sparknn.nn.criterion.CriterionSpec;
import io.sparknn.train.GradientSum;
import io.sparknn.train.Target;
import java.util.List;
import org.apache.spark.ShuffleDependency;
import org.apache.spark.SparkContext;
import org.apache.spark.rdd.RDD;
import org.apache.spark.rdd.ShuffledRDD;
import scala.Product2;
import scala.reflect.ClassTag$;

/**
 * Aggregation whose traffic into the driver does not grow with the number of partitions: a reduce-scatter
 * through Spark's shuffle. Each map task cuts its partition's gradient sum into {@code S} slices; reducer
 * {@code s} adds slice {@code s} of every partition in partition order ({@link SliceSumRDD}); the driver
 * collects the {@code S} summed slices (|w| values in all, whatever {@code P}) and adds each once into
 * {@link GradientSum}'s zeroed buffers, which leaves exactly the bits the direct partition-by-partition sum
 * leaves. One iteration is two stages instead of one, so it pays only where the driver's link, not Spark's job
 * latency, is the bottleneck ({@link CommunicationModel} decides). The iteration's shuffle files are removed as
 * soon as its result is in.
 */
final class SlicedAggregation {
  private SlicedAggregation() {}

  /** Runs one iteration's map and reduce stages and adds the summed slices into {@code sum} (already reset). */
  @SuppressWarnings({"unchecked", "rawtypes"})
  static void run(SparkContext sc, RDD<Dataset> data, WeightsShipment.Shipped weights, ModelSpec spec,
      CriterionSpec criterion, Target target, String runId, GradientTask task, int slices, GradientSum sum,
      int parameters, TaskClock clock) {
    int partitions = data.partitions().length;
    ReplicaRDD<SliceRecord[]> map = new ReplicaRDD<>(data, SliceRecord[].class, weights, spec, criterion, target,
        runId, new GradientSliceTask(task, slices), clock);
    ShuffledRDD<Object, SliceRecord, SliceRecord> shuffled = new ShuffledRDD<>(new SliceRecordsRDD(map),
        new SlicePartitioner(slices), ClassTag$.MODULE$.Any(), ClassTag$.MODULE$.apply(SliceRecord.class),
        ClassTag$.MODULE$.apply(SliceRecord.class));
    int shuffleId = ((ShuffleDependency<?, ?, ?>) shuffled.dependencies().head()).shuffleId();
    try {
      List<SliceRecord> summed = PartitionJobs.onePerPartition(sc,
          new SliceSumRDD((RDD<Product2<Object, SliceRecord>>) (RDD) shuffled, partitions, task.shardSpans()),
          SliceRecord.class);
      for (SliceRecord s : summed) {
        sum.addSlice(SliceRecord.start(s.index(), slices, parameters), s.gradient(), s.lossSum(), s.rows(),
            s.stateSum());
      }
    } finally {
      if (sc.cleaner().isDefined()) {
        sc.cleaner().get().doCleanupShuffle(shuffleId, false);
      }
    }
  }
}
