package com.example.swish;

import io.sparknn.nn.LayerSpec;
import io.sparknn.nn.ModelSpec;
import io.sparknn.testkit.Datasets;
import io.sparknn.testkit.SparkTest;
import io.sparknn.testkit.TrainerAssertions;
import io.sparknn.testkit.TrainingCase;
import io.sparknn.train.TrainingOptions;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;

/**
 * Spark's executors find Swish through its services entry and build it with its option: training on three
 * partitions ends bit-identical to the single-JVM replay of the same tasks.
 */
@SparkTest
class SwishOnSparkTest {
  @Test
  void trainingOnSparkEqualsTheLocalReplay(JavaSparkContext sc) {
    ModelSpec spec = new ModelSpec(784, List.of(LayerSpec.linear(784, 16), LayerSpec.of("Swish").with("beta", 1.7),
        LayerSpec.linear(16, 10), LayerSpec.of("SoftMax")));
    TrainerAssertions.assertDistributedEqualsLocal(sc, TrainingCase.of(spec, Datasets.mnistTrain(600))
        .withPartitions(3).withOptions(TrainingOptions.of(100, 1, 0.05, 7)));
  }
}
