package com.example.swish;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparknn.data.PartitionedDataset;
import io.sparknn.nn.LayerSpec;
import io.sparknn.nn.ModelSpec;
import io.sparknn.nn.Sequential;
import io.sparknn.nn.criterion.CriterionSpec;
import io.sparknn.optim.SgdMomentum;
import io.sparknn.testkit.Datasets;
import io.sparknn.testkit.SparkTest;
import io.sparknn.train.Evaluation;
import io.sparknn.train.Target;
import io.sparknn.train.TrainingListener;
import io.sparknn.train.TrainingOptions;
import io.sparknn.train.spark.SparkTrainer;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;

/** A short run on Spark with Swish hidden units learns digits: far above the 10% of guessing. */
@SparkTest
class SwishTrainingTest {
  @Test
  void aFewEpochsOnAThousandDigitsBeatChanceClearly(JavaSparkContext sc) {
    ModelSpec spec = new ModelSpec(784, List.of(LayerSpec.linear(784, 32), LayerSpec.of("Swish"),
        LayerSpec.linear(32, 10), LayerSpec.of("SoftMax")));
    Sequential model = spec.build(42);
    SparkTrainer trainer = new SparkTrainer(sc, spec, model, new CriterionSpec("ClassNLL"), Target.CLASSES,
        new SgdMomentum(0.9), TrainingOptions.of(50, 5, 0.05, 42));
    try (PartitionedDataset train = PartitionedDataset.distribute(sc, Datasets.mnistTrain(1000), 2, "train");
        PartitionedDataset test = PartitionedDataset.distribute(sc, Datasets.mnistTest(500), 2, "test")) {
      trainer.fit(train, null, TrainingListener.none());
      Evaluation e = trainer.evaluate(test);
      assertTrue(e.accuracy() > 0.7, "test accuracy " + e.accuracy() + " on 500 unseen digits");
    }
  }
}
