package io.sparknn.train.spark;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparknn.nn.LayerSpec;
import io.sparknn.nn.ModelSpec;
import io.sparknn.nn.Shape;
import io.sparknn.optim.Adam;
import io.sparknn.testkit.Datasets;
import io.sparknn.testkit.SparkTest;
import io.sparknn.testkit.TrainerAssertions;
import io.sparknn.testkit.TrainingCase;
import io.sparknn.train.TrainingOptions;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;

/**
 * A small CNN (strided and padded convolutions, max pooling, dropout) trained on Spark ends where the single-JVM
 * replay ends, bit for bit, in float64 and with float32 convolutions: the input shape and the layers' options
 * reach the executors, which build the same layers.
 */
@SparkTest
class ConvolutionalTrainingTest {
  private static ModelSpec cnn(String compute) {
    return new ModelSpec(Shape.image(1, 28, 28), List.of(
        LayerSpec.of("Conv2d").with("out_channels", 4).with("kernel_size", 5).with("stride", 2).with("padding", 1)
            .with("compute", compute),
        LayerSpec.of("ReLU"), LayerSpec.of("MaxPool2d").with("kernel_size", 3).with("stride", 2),
        LayerSpec.of("Conv2d").with("out_channels", 6).with("kernel_size", 3).with("padding", 1)
            .with("compute", compute),
        LayerSpec.of("Tanh"), LayerSpec.of("Flatten"), LayerSpec.of("Dropout").with("p", 0.2),
        LayerSpec.linear(6 * 6 * 6, 10), LayerSpec.of("LogSoftMax")));
  }

  @Test
  void aCnnTrainedOnSparkEndsBitIdenticalToTheLocalReplay(JavaSparkContext sc) {
    for (String compute : new String[] {"float64", "float32"}) {
      TrainingCase c = TrainingCase.of(cnn(compute), Datasets.mnistTrain(240)).withPartitions(3)
          .withCriterion("LogClassNLL").withOptions(TrainingOptions.of(60, 2, 1e-3, 5)).withOptimizer(Adam::new);
      double[] before = c.spec().build(c.modelSeed()).parameters();
      double[] after = TrainerAssertions.assertDistributedEqualsLocal(sc, c).parameters();
      assertTrue(TrainerAssertions.relativeDifference(before, after) > 1e-3, compute + ": the weights moved");
    }
  }
}
