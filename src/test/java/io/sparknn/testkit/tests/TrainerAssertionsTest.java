package io.sparknn.testkit.tests;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparknn.nn.LayerSpec;
import io.sparknn.nn.LayerType;
import io.sparknn.nn.ModelSpec;
import io.sparknn.nn.Pointwise;
import io.sparknn.nn.ServiceLayerType;
import io.sparknn.optim.Adam;
import io.sparknn.testkit.Datasets;
import io.sparknn.testkit.SparkTest;
import io.sparknn.testkit.TrainerAssertions;
import io.sparknn.testkit.TrainingCase;
import io.sparknn.train.TrainingOptions;
import java.util.List;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;

/** Spark against the single-JVM replay, for a model that agrees and for one that does not. */
@SparkTest
class TrainerAssertionsTest {
  /**
   * {@code y = x}, nudged by one part in 10⁹ inside a Spark task: a layer that depends on where it runs.
   * Registered in the project's test {@code META-INF/services} so that executors can build it.
   */
  public static final class WhereItRuns extends Pointwise {
    @Override
    protected void apply(double[] x, int xo, double[] y, int yo, int n) {
      double k = TaskContext.get() == null ? 1 : 1 + 1e-9;
      for (int i = 0; i < n; i++) {
        y[yo + i] = k * x[xo + i];
      }
    }

    @Override
    protected void derive(double[] x, int xo, double[] y, int yo, double[] g, int go, double[] gi, int o, int n) {
      System.arraycopy(g, go, gi, o, n);
    }

    /** Its registration. */
    public static final class Type extends ServiceLayerType {
      public Type() {
        super(LayerType.of("WhereItRuns", WhereItRuns.class, WhereItRuns::new));
      }
    }
  }

  private static ModelSpec mlp(LayerSpec middle) {
    return new ModelSpec(2, List.of(LayerSpec.linear(2, 8), LayerSpec.of("BatchNormalization"), middle,
        LayerSpec.of("Dropout").with("p", 0.2), LayerSpec.linear(8, 2), LayerSpec.of("SoftMax")));
  }

  @Test
  void aModelWithDropoutAndBatchNormalizationAgreesOnThreePartitions(JavaSparkContext sc) {
    TrainerAssertions.assertDistributedEqualsLocal(sc, TrainingCase.of(mlp(LayerSpec.of("Tanh")),
        Datasets.blobs(150, 4)).withPartitions(3).withOptions(TrainingOptions.of(32, 2, 0.01, 8))
        .withOptimizer(Adam::new));
  }

  @Test
  void aLayerThatDependsOnWhereItRunsFails(JavaSparkContext sc) {
    AssertionError e = assertThrows(AssertionError.class, () -> TrainerAssertions.assertDistributedEqualsLocal(sc,
        TrainingCase.of(mlp(LayerSpec.of("WhereItRuns")), Datasets.blobs(100, 4))));
    assertTrue(e.getMessage().startsWith("the gradient differs between Spark and one JVM at "
        + "parameter "), e.getMessage());
  }
}
