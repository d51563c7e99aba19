package example;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.sparknn.data.Dataset;
import io.sparknn.data.MnistFiles;
import io.sparknn.data.PartitionedDataset;
import io.sparknn.nn.ModelSpec;
import io.sparknn.nn.Sequential;
import io.sparknn.nn.criterion.CriterionSpec;
import io.sparknn.optim.SgdMomentum;
import io.sparknn.testing.SparkTestBase;
import io.sparknn.train.LocalTrainer;
import io.sparknn.train.Objective;
import io.sparknn.train.Target;
import io.sparknn.train.TrainingListener;
import io.sparknn.train.TrainingOptions;
import io.sparknn.train.spark.SparkTrainer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Spark executors build a registered user layer from the shipped {@link ModelSpec}, options included: a run
 * with Swish in the model ends bit-identical to the single-JVM trainer replaying the same tasks.
 */
class SwishOnSparkTest extends SparkTestBase {
  private static final String CONFIG = """
      model:
        - {type: Linear, out: 16}
        - {type: Swish, beta: 1.7}
        - {type: Linear, out: 10}
        - {type: SoftMax}
      """;
  private static final CriterionSpec NLL = new CriterionSpec("ClassNLL");

  private static LocalTrainer replaying(Sequential model, TrainingOptions options) {
    return new LocalTrainer(model, new Objective(NLL.build(), Target.CLASSES), new SgdMomentum(0.9), options)
        .replayTasks();
  }

  @Test
  void executorsBuildItAndTrainAsTheLocalTrainerDoes() throws Exception {
    Dataset train = MnistFiles.trainAndTest(MnistFiles.defaultDir())[0].slice(0, 600);
    ModelSpec spec = SwishLayerTest.plan(CONFIG, 784).model();
    TrainingOptions options = TrainingOptions.of(100, 1, 0.05, 23);
    Sequential distributed = spec.build(6);
    try (PartitionedDataset data = PartitionedDataset.distribute(jsc(), train, 2, "digits")) {
      new SparkTrainer(jsc(), spec, distributed, NLL, Target.CLASSES, new SgdMomentum(0.9), options)
          .fit(data, null, TrainingListener.none());
    }
    Sequential local = spec.build(6);
    replaying(local, options).fit(PartitionedDataset.split(train, 2), null, TrainingListener.none());
    assertArrayEquals(local.parameters(), distributed.parameters(), 0.0);

    // Executors that dropped beta (Swish's default is 1) would end elsewhere.
    Sequential defaultBeta = SwishLayerTest.plan(CONFIG.replace(", beta: 1.7", ""), 784).model().build(6);
    replaying(defaultBeta, options).fit(PartitionedDataset.split(train, 2), null, TrainingListener.none());
    assertFalse(Arrays.equals(defaultBeta.parameters(), distributed.parameters()));
  }
}
