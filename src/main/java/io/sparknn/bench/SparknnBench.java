package io.sparknn.bench;

import io.sparknn.data.Dataset;
import io.sparknn.data.PartitionedDataset;
import io.sparknn.nn.Sequential;
import io.sparknn.nn.criterion.CriterionSpec;
import io.sparknn.optim.SgdMomentum;
import io.sparknn.train.EpochMetrics;
import io.sparknn.train.Target;
import io.sparknn.train.TrainingListener;
import io.sparknn.train.TrainingOptions;
import io.sparknn.train.spark.SparkTrainer;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Section 1 of the harness: the homework's MLP trained by {@link SparkTrainer} on the cached, partitioned training set,
 * once per batch plan, each run timed by an {@link AccuracyClock} (test set evaluated in the driver JVM on a copy
 * of the weights, clock paused). Distributing the data and starting Spark are not timed; a short untimed run
 * first warms up the JIT and Spark's scheduler.
 */
final class SparknnBench {
  static final int WARMUP_ITERATIONS = 600;

  private SparknnBench() {}

  static List<TrainingRun> run(JavaSparkContext sc, PartitionedDataset train, Dataset test, List<BatchPlan> plans,
      BenchOptions o) {
    List<TrainingRun> runs = new ArrayList<>();
    TimedTraining.warmUp(() -> trainer(sc, train, plans.get(0), o), WARMUP_ITERATIONS);
    for (BatchPlan plan : plans) {
      try {
        runs.add(TimedTraining.run("sparknn-spark", 1, plan, trainer(sc, train, plan, o), test, train.rows(), o));
      } catch (RuntimeException e) {
        System.err.println("bench: sparknn on Spark failed at " + plan.label() + ": " + e);
        runs.add(TrainingRun.failed("sparknn-spark", o.compute(), 1, plan, "failed: " + e));
      }
    }
    return runs;
  }

  private static TimedTraining.Trainer trainer(JavaSparkContext sc, PartitionedDataset train, BatchPlan plan,
      BenchOptions o) {
    Sequential model = o.model().build(o.seed());
    TrainingOptions options = TimedTraining.options(plan, o);
    SparkTrainer t = new SparkTrainer(sc, o.model(), model, new CriterionSpec("ClassNLL"), Target.CLASSES,
        new SgdMomentum(BatchPlan.MOMENTUM), options);
    return new TimedTraining.Trainer() {
      @Override
      public double[] weights() {
        return t.model().parameters();
      }

      // The tasks' clock and the iteration count at the first epoch's end: the steady figures start there.
      private long firstEpochNs;
      private long firstEpochIterations;

      @Override
      public void fit(TrainingListener listener) {
        t.fit(train, null, new TrainingListener() {
          @Override
          public void onEpoch(EpochMetrics metrics) {
            if (metrics.epoch() == 0) {
              firstEpochNs = t.taskClock().computeNs();
              firstEpochIterations = t.times().iterations();
            }
            listener.onEpoch(metrics);
          }

          @Override
          public void onIteration(int epoch, long iteration, double loss, double[] weights) {
            listener.onIteration(epoch, iteration, loss, weights);
          }
        });
      }

      @Override
      public Double taskComputeMs() {
        long steady = t.times().iterations() - firstEpochIterations;
        boolean all = steady == 0;  // a single epoch: over all its iterations, as the mean iteration is
        long tasks = (all ? t.times().iterations() : steady) * train.rdd().getNumPartitions();
        return tasks == 0 ? null : (t.taskClock().computeNs() - (all ? 0 : firstEpochNs)) / 1e6 / tasks;
      }
    };
  }
}
