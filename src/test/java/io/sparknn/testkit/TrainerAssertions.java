package io.sparknn.testkit;

import io.sparknn.data.Dataset;
import io.sparknn.data.PartitionedDataset;
import io.sparknn.nn.Sequential;
import io.sparknn.train.LocalTrainer;
import io.sparknn.train.Objective;
import io.sparknn.train.TrainingListener;
import io.sparknn.train.spark.SparkTrainer;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Asserts that {@link SparkTrainer} computes what {@link LocalTrainer#replayTasks()} computes in one JVM on
 * the same partitions, for a user's model and data ({@link TrainingCase}): the global gradient of the first
 * iteration to 1e-12 relative to its largest entry, and the weights and running statistics after the
 * configured epochs bit for bit. A layer whose options or state do not reach the executors, or whose forward
 * depends on something other than its input, its weights and its seed, fails here.
 */
public final class TrainerAssertions {
  /** Largest difference of the two gradients, relative to the largest gradient entry. */
  public static final double GRADIENT_TOLERANCE = 1e-12;

  private TrainerAssertions() {}

  /** Runs both checks; returns the model Spark trained, for further assertions. */
  public static Sequential assertDistributedEqualsLocal(JavaSparkContext sc, TrainingCase c) {
    Dataset[] parts = PartitionedDataset.split(c.data(), c.partitions());
    Sequential distributed = c.spec().build(c.modelSeed());
    Sequential local = c.spec().build(c.modelSeed());
    try (PartitionedDataset data = PartitionedDataset.distribute(sc, c.data(), c.partitions(), "testkit")) {
      double[] onSpark = spark(sc, c, c.spec().build(c.modelSeed())).gradientAt(data, 0, 0);
      double[] inOneJvm = local(c, c.spec().build(c.modelSeed())).gradientAt(parts, 0, 0);
      assertGradientsAgree(inOneJvm, onSpark);
      spark(sc, c, distributed).fit(data, null, TrainingListener.none());
    }
    local(c, local).fit(parts, null, TrainingListener.none());
    assertBitIdentical("weight", local, local.parameters(), distributed.parameters());
    assertBitIdentical("running statistic", local, local.state(), distributed.state());
    return distributed;
  }

  private static SparkTrainer spark(JavaSparkContext sc, TrainingCase c, Sequential model) {
    return new SparkTrainer(sc, c.spec(), model, c.criterion(), c.target(), c.optimizer().get(), c.options());
  }

  private static LocalTrainer local(TrainingCase c, Sequential model) {
    return new LocalTrainer(model, new Objective(c.criterion().build(), c.target()), c.optimizer().get(),
        c.options()).replayTasks();
  }

  /** The largest difference of two gradients relative to {@code reference}'s largest entry (0 when it is 0). */
  public static double relativeDifference(double[] reference, double[] other) {
    double scale = 0;
    for (double v : reference) {
      scale = Math.max(scale, Math.abs(v));
    }
    double worst = 0;
    for (int i = 0; i < reference.length; i++) {
      worst = Math.max(worst, Math.abs(reference[i] - other[i]));
    }
    return scale == 0 ? 0 : worst / scale;
  }

  /**
   * Fails unless the gradient computed on Spark equals the one computed in one JVM to {@link #GRADIENT_TOLERANCE}
   * relative to its largest entry, naming the worst parameter; a zero gradient fails too, as it proves nothing.
   */
  public static void assertGradientsAgree(double[] local, double[] distributed) {
    double scale = 0;
    for (double v : local) {
      scale = Math.max(scale, Math.abs(v));
    }
    if (scale == 0) {
      throw new AssertionError("the gradient is zero: comparing it proves nothing");
    }
    int worst = 0;
    for (int i = 0; i < local.length; i++) {
      if (!(Math.abs(local[i] - distributed[i]) <= Math.abs(local[worst] - distributed[worst]))) {
        worst = i;
      }
    }
    double diff = Math.abs(local[worst] - distributed[worst]) / scale;
    if (!(diff <= GRADIENT_TOLERANCE)) {
      throw new AssertionError("the gradient differs between Spark and one JVM at parameter "
          + worst + ": " + distributed[worst] + " on Spark, " + local[worst] + " locally, relative difference "
          + diff + " (tolerance " + GRADIENT_TOLERANCE + ")");
    }
  }

  private static void assertBitIdentical(String what, Sequential model, double[] local, double[] distributed) {
    for (int i = 0; i < local.length; i++) {
      if (Double.doubleToRawLongBits(local[i]) != Double.doubleToRawLongBits(distributed[i])) {
        String where = what.equals("weight") ? ModuleAssertions.parameter(model, i) : what + " " + i;
        throw new AssertionError("after training, " + where + " differs: " + distributed[i]
            + " on Spark, " + local[i] + " replayed in one JVM");
      }
    }
  }
}
