package io.sparknn.train.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
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
 * is cleaned at almost no cost. In local mode results come back by reference through
 * {@link SameJvmResults} instead of being serialised twice.
 */
public final class PartitionJobs {
  /** Spark setting ({@code true} by default) for local mode's by-reference results; {@code false} serialises them. */
  public static final String SAME_JVM_RESULTS_KEY = SameJvmResults.KEY;

  private PartitionJobs() {}

  /** The single element of each partition of {@code rdd}, in partition order. */
  public static <R> List<R> onePerPartition(SparkContext sc, RDD<R> rdd, Class<R> resultClass) {
    return onePerPartition(sc, rdd, resultClass, SameJvmResults.usable(sc));
  }

  /** As above, with the same-JVM mailbox on or off regardless of the Spark setting (tests compare both). */
  static <R> List<R> onePerPartition(SparkContext sc, RDD<R> rdd, Class<R> resultClass, boolean sameJvm) {
    int n = rdd.partitions().length;
    Object[] partitions = new Object[n];
    for (int i = 0; i < n; i++) {
      partitions[i] = i;
    }
    String job = sameJvm ? UUID.randomUUID().toString() : null;
    if (job != null) {
      SameJvmResults.open(job);
    }
    Object[] results;
    Map<Integer, Object> box = Map.of();
    try {
      results = (Object[]) sc.runJob(rdd, new OnlyElement<R>(job),
          scala.jdk.javaapi.CollectionConverters.asScala(Arrays.asList(partitions)).toSeq(),
          ClassTag$.MODULE$.AnyRef());
    } finally {
      if (job != null) {
        box = SameJvmResults.close(job);
      }
    }
    List<R> out = new ArrayList<>(n);
    for (int p = 0; p < n; p++) {
      Object r = results[p];
      if (r instanceof SameJvmResults.Ticket t) {
        r = box.get(t.partition());
        if (r == null) {
          throw new IllegalStateException("partition " + p + "'s result was not left in the same-JVM mailbox");
        }
      }
      out.add(resultClass.cast(r));
    }
    return out;
  }

  /** The function every task applies to its partition's iterator; a class, so the cleaner has nothing to do. */
  private static final class OnlyElement<R> extends AbstractFunction2<TaskContext, Iterator<R>, Object>
      implements Serializable {
    private final String job;

    OnlyElement(String job) {
      this.job = job;
    }

    @Override
    public Object apply(TaskContext context, Iterator<R> rows) {
      R r = rows.next();
      if (rows.hasNext()) {
        throw new IllegalStateException("partition " + context.partitionId() + " produced more than one result");
      }
      return SameJvmResults.deposit(job, context.partitionId(), r);
    }
  }
}
