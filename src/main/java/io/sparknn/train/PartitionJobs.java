package io.sparknn.train;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.SparkContext;
import org.apache.spark.TaskContext;
import org.apache.spark.rdd.RDD;
import scala.collection.Iterator;
import scala.reflect.ClassTag$;
import scala.runtime.AbstractFunction2;

/**
 * Runs a job that takes the one element of every partition of an RDD and returns them in partition order: a
 * {@code collect()} without the per-job cost of Spark's ClosureCleaner. {@code collect()} and the
 * {@code runJob} overloads taking an {@code Iterator => U} wrap the function in a Scala closure that the cleaner
 * then parses with ASM; the {@code (TaskContext, Iterator) => U} overload given a named class (not a closure)
 * is cleaned in a few microseconds.
 */
public final class PartitionJobs {
  private PartitionJobs() {}

  /** The single element of each partition of {@code rdd}, in partition order. */
  @SuppressWarnings("unchecked")
  public static <R> List<R> onePerPartition(SparkContext sc, RDD<R> rdd, Class<R> resultClass) {
    int n = rdd.partitions().length;
    Object[] partitions = new Object[n];
    for (int i = 0; i < n; i++) {
      partitions[i] = i;
    }
    Object results = sc.runJob(rdd, new OnlyElement<R>(),
        scala.jdk.javaapi.CollectionConverters.asScala(Arrays.asList(partitions)).toSeq(),
        ClassTag$.MODULE$.apply(resultClass));
    return Arrays.asList((R[]) results);
  }

  /** The function every task applies to its partition's iterator; a class, so the cleaner has nothing to do. */
  private static final class OnlyElement<R> extends AbstractFunction2<TaskContext, Iterator<R>, R>
      implements Serializable {
    @Override
    public R apply(TaskContext context, Iterator<R> rows) {
      R r = rows.next();
      if (rows.hasNext()) {
        throw new IllegalStateException("partition " + context.partitionId() + " produced more than one result");
      }
      return r;
    }
  }
}
