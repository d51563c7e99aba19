package io.sparknn.bench;

import io.sparknn.data.Dataset;
import io.sparknn.data.PartitionedDataset;
import io.sparknn.nn.Sequential;
import io.sparknn.nn.criterion.CriterionSpec;
import io.sparknn.optim.SgdMomentum;
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

      @Override
      public void fit(TrainingListener listener) {
        t.fit(train, null, listener);
      }

      @Override
      public Double taskComputeMs() {
        long tasks = t.times().iterations() * train.rdd().getNumPartitions();
        return tasks == 0 ? null : t.taskClock().computeNs() / 1e6 / tasks;
      }
    };
  }
}
