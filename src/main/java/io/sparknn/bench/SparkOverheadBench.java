package io.sparknn.bench;

import io.sparknn.data.Broadcasts;
import io.sparknn.train.spark.PartitionJobs;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.HashPartitioner;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.rdd.ShuffledRDD;
import scala.Tuple2;
import scala.collection.Iterator;
import scala.collection.immutable.Seq;
import scala.jdk.javaapi.CollectionConverters;
import scala.reflect.ClassTag$;
import scala.runtime.AbstractFunction2;

/**
 * Part of section 2 of the harness: what Spark itself charges per iteration, measured in the same session as the
 * training runs. A bare job is {@code P} tasks that do nothing and return nothing, collected; the second job
 * broadcasts a weight-sized {@code double[]} (the homework's MLP's 174,156 weights, 1.4 MB), and every task reads it
 * and returns a gradient-sized array — SparkTrainer's round trip without the arithmetic. The third is Spark's
 * floor: the same empty tasks run the way SparkTrainer runs its jobs ({@link PartitionJobs}: {@code runJob} with a
 * named function, no ClosureCleaner), so a reader can see both the bare job a user writes and the cheapest one.
 * The fourth is the floor with a shuffle before it: every task sends one record to each of {@code P} reducers,
 * which count theirs through {@code runJob}; beyond the floor it costs what the sliced aggregation's second stage
 * costs before it moves a byte (a stage of {@code P} tasks, {@code P²} block fetches).
 * Each figure is the median over {@code jobs} timed jobs after untimed warm-up jobs.
 */
public final class SparkOverheadBench {
  /**
   * @param bareJobMs median wall milliseconds of a job of {@code partitions} empty tasks
   * @param roundTripMs the same with the broadcast and one weight-sized result per task
   * @param runJobMs a job of {@code partitions} tasks that each return their one element, through
   *     {@link PartitionJobs} (null in results saved before it was measured)
   * @param shuffleJobMs the floor's job with a shuffle of one record from each task to each reducer before it
   *     (null in results saved before it was measured)
   */
  public record Result(int partitions, int jobs, int weights, double bareJobMs, double roundTripMs,
      Double runJobMs, Double shuffleJobMs) {}

  private SparkOverheadBench() {}

  static Result run(JavaSparkContext sc, int partitions, int weights, int jobs) {
    List<Integer> indices = new ArrayList<>();
    for (int p = 0; p < partitions; p++) {
      indices.add(p);
    }
    JavaRDD<Integer> rdd = sc.parallelize(indices, partitions);
    double[] w = new double[weights];
    SplittableRandom rng = new SplittableRandom(7);
    for (int i = 0; i < w.length; i++) {
      w[i] = rng.nextGaussian();
    }
    int warm = Math.max(10, jobs / 10);
    System.err.printf("bench: bare Spark jobs, %d partitions, %d + %d jobs each%n", partitions, warm, jobs);
    double bare = medianMs(warm, jobs, () -> rdd.mapPartitions(it -> Collections.<Integer>emptyIterator()).collect());
    double roundTrip = medianMs(warm, jobs, () -> {
      Broadcast<double[]> b = sc.broadcast(w);
      try {
        List<double[]> results = rdd.map(p -> {
          double[] v = b.value();
          double[] g = new double[v.length];
          g[p] = v[p];
          return g;
        }).collect();
        if (results.size() != partitions) {
          throw new IllegalStateException(results.size() + " results from " + partitions + " partitions");
        }
      } finally {
        Broadcasts.remove(b);
      }
    });
    double floor = medianMs(warm, jobs, () -> PartitionJobs.onePerPartition(sc.sc(), rdd.rdd(), Integer.class));
    // The map side is built (and its closure cleaned) once; every job shuffles it anew into a fresh ShuffledRDD
    // and counts each reducer's records through runJob with a named function, as the floor above runs.
    JavaPairRDD<Integer, Integer> toEveryReducer = rdd.flatMapToPair(p -> {
      List<Tuple2<Integer, Integer>> out = new ArrayList<>(partitions);
      for (int s = 0; s < partitions; s++) {
        out.add(new Tuple2<>(s, p));
      }
      return out.iterator();
    });
    Seq<Object> all = CollectionConverters.asScala(new ArrayList<Object>(indices)).toSeq();
    double shuffle = medianMs(warm, jobs, () -> {
      ShuffledRDD<Integer, Integer, Integer> reduced = new ShuffledRDD<>(toEveryReducer.rdd(),
          new HashPartitioner(partitions), ClassTag$.MODULE$.apply(Integer.class),
          ClassTag$.MODULE$.apply(Integer.class), ClassTag$.MODULE$.apply(Integer.class));
      Object counts = sc.sc().runJob(reduced, new CountRows(), all, ClassTag$.MODULE$.apply(Integer.class));
      int sum = Arrays.stream((Integer[]) counts).mapToInt(Integer::intValue).sum();
      if (sum != partitions * partitions) {
        throw new IllegalStateException("the reducers counted " + sum + " records, expected " + partitions + "²");
      }
    });
    System.err.printf("bench:   bare job %.2f ms, with broadcast and results %.2f ms, through runJob %.2f ms,"
        + " after a shuffle %.2f ms (medians)%n", bare, roundTrip, floor, shuffle);
    return new Result(partitions, jobs, weights, bare, roundTrip, floor, shuffle);
  }

  /** A reducer's count of its records; a class, so the cleaner has nothing to do. */
  private static final class CountRows extends AbstractFunction2<TaskContext, Iterator<Tuple2<Integer, Integer>>,
      Integer> implements Serializable {
    @Override
    public Integer apply(TaskContext context, Iterator<Tuple2<Integer, Integer>> rows) {
      int n = 0;
      for (; rows.hasNext(); rows.next()) {
        n++;
      }
      return n;
    }
  }

  private static double medianMs(int warm, int jobs, Runnable job) {
    for (int i = 0; i < warm; i++) {
      job.run();
    }
    double[] ms = new double[jobs];
    for (int i = 0; i < jobs; i++) {
      long t0 = System.nanoTime();
      job.run();
      ms[i] = (System.nanoTime() - t0) / 1e6;
    }
    Arrays.sort(ms);
    return jobs % 2 == 1 ? ms[jobs / 2] : (ms[jobs / 2 - 1] + ms[jobs / 2]) / 2;
  }
}
