package io.sparknn.train.spark;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.Partition;
import org.apache.spark.TaskContext;
import org.apache.spark.rdd.RDD;
import scala.Tuple2;
import scala.reflect.ClassTag$;

/**
 * The sliced aggregation's map output: each partition's one array of {@link SliceRecord}s as (slice, record)
 * pairs for the shuffle. An RDD subclass, like {@link ReplicaRDD}, so no closure reaches Spark's ClosureCleaner.
 */
final class SliceRecordsRDD extends RDD<Tuple2<Object, SliceRecord>> {
  SliceRecordsRDD(RDD<SliceRecord[]> slices) {
    super(slices, ClassTag$.MODULE$.apply(Tuple2.class));
  }

  @Override
  public scala.collection.Iterator<Tuple2<Object, SliceRecord>> compute(Partition split, TaskContext context) {
    SliceRecord[] slices = (SliceRecord[]) firstParent(ClassTag$.MODULE$.Any()).iterator(split, context).next();
    List<Tuple2<Object, SliceRecord>> out = new ArrayList<>(slices.length);
    for (int s = 0; s < slices.length; s++) {
      out.add(new Tuple2<>(s, slices[s]));
    }
    return scala.jdk.javaapi.CollectionConverters.asScala(out.iterator());
  }

  @Override
  public Partition[] getPartitions() {
    return firstParent(ClassTag$.MODULE$.Any()).partitions();
  }
}
