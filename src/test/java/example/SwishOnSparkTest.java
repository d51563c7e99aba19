package example;

import static org.junit.jupiter.api.Assertions.assertFalse;

import io.sparknn.data.Dataset;
import io.sparknn.data.PartitionedDataset;
import io.sparknn.nn.Sequential;
import io.sparknn.nn.criterion.CriterionSpec;
import io.sparknn.optim.SgdMomentum;
import io.sparknn.testing.SparkTestBase;
import io.sparknn.testkit.Datasets;
import io.sparknn.testkit.TrainerAssertions;
import io.sparknn.testkit.TrainingCase;
import io.sparknn.train.LocalTrainer;
import io.sparknn.train.Objective;
import io.sparknn.train.Target;
import io.sparknn.train.TrainingListener;
import io.sparknn.train.TrainingOptions;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Spark executors build a registered user layer from the shipped model spec, options included: a run with
 * Swish in the model ends bit-identical to the single-JVM trainer replaying the same tasks (the test kit's
 * {@link TrainerAssertions}).
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

  @Test
  void executorsBuildItAndTrainAsTheLocalTrainerDoes() throws Exception {
    Dataset train = Datasets.mnistTrain(600);
    TrainingOptions options = TrainingOptions.of(100, 1, 0.05, 23);
    Sequential distributed = TrainerAssertions.assertDistributedEqualsLocal(jsc(),
        TrainingCase.of(SwishLayerTest.plan(CONFIG, 784).model(), train).withPartitions(2).withOptions(options)
            .withModelSeed(6));

    // Executors that dropped beta (Swish's default is 1) would end elsewhere.
    Sequential defaultBeta = SwishLayerTest.plan(CONFIG.replace(", beta: 1.7", ""), 784).model().build(6);
    new LocalTrainer(defaultBeta, new Objective(NLL.build(), Target.CLASSES), new SgdMomentum(0.9), options)
        .replayTasks().fit(PartitionedDataset.split(train, 2), null, TrainingListener.none());
    assertFalse(Arrays.equals(defaultBeta.parameters(), distributed.parameters()));
  }
}
