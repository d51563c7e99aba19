package io.sparknn.train.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparknn.data.Dataset;
import io.sparknn.data.MnistFiles;
import io.sparknn.data.PartitionedDataset;
import io.sparknn.nn.LayerSpec;
import io.sparknn.nn.ModelSpec;
import io.sparknn.nn.Sequential;
import io.sparknn.nn.criterion.CriterionSpec;
import io.sparknn.optim.SgdMomentum;
import io.sparknn.testing.SparkTestBase;
import io.sparknn.testing.TaskEvents;
import io.sparknn.testkit.TrainerAssertions;
import io.sparknn.testkit.TrainingCase;
import io.sparknn.train.EpochMetrics;
import io.sparknn.train.Evaluation;
import io.sparknn.train.LocalTrainer;
import io.sparknn.train.Objective;
import io.sparknn.train.Target;
import io.sparknn.train.TrainingListener;
import io.sparknn.train.TrainingOptions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The distributed loop against the single-JVM reference, on real MNIST digits in Spark local mode. */
class SparkTrainerTest extends SparkTestBase {
  private static Dataset train;
  private static Dataset validation;
  private static final ModelSpec SPEC = new ModelSpec(784, List.of(LayerSpec.linear(784, 32),
      LayerSpec.of("LeakyReLU"), LayerSpec.linear(32, 16), LayerSpec.of("LeakyReLU"), LayerSpec.linear(16, 10),
      LayerSpec.of("SoftMax")));
  private static final CriterionSpec NLL = new CriterionSpec("ClassNLL");

  @BeforeAll
  static void loadDigits() {
    Dataset[] mnist = MnistFiles.trainAndTest(MnistFiles.defaultDir());
    train = mnist[0].slice(0, 1200);
    validation = mnist[1].slice(0, 500);
  }

  private SparkTrainer sparkTrainer(Sequential model, TrainingOptions options) {
    return new SparkTrainer(jsc(), SPEC, model, NLL, Target.CLASSES, new SgdMomentum(0.9), options);
  }

  private static LocalTrainer localTrainer(Sequential model, TrainingOptions options) {
    return new LocalTrainer(model, new Objective(NLL.build(), Target.CLASSES), new SgdMomentum(0.9), options);
  }

  @ParameterizedTest(name = "P = {0}")
  @ValueSource(ints = {1, 2, 4})
  void oneIterationGivesLocalTrainersGlobalGradient(int partitions) {
    TrainingOptions options = TrainingOptions.of(100, 1, 0.1, 7);
    try (PartitionedDataset data = PartitionedDataset.distribute(jsc(), train, partitions, "digits")) {
      for (int step : new int[] {0, 5}) {
        double[] distributed = sparkTrainer(SPEC.build(3), options).gradientAt(data, 0, step);
        double[] local = localTrainer(SPEC.build(3), options)
            .gradientAt(PartitionedDataset.split(train, partitions), 0, step);
        TrainerAssertions.assertGradientsAgree(local, distributed);
      }
    }
  }

  @Test
  void aFloat32FirstLayerGivesLocalTrainersGradientToSinglePrecision() {
    ModelSpec f32 = new ModelSpec(784, List.of(LayerSpec.linear(784, 32).with("compute", "float32"),
        LayerSpec.of("LeakyReLU"), LayerSpec.linear(32, 10), LayerSpec.of("SoftMax")));
    TrainingOptions options = TrainingOptions.of(100, 1, 0.1, 7);
    try (PartitionedDataset data = PartitionedDataset.distribute(jsc(), train, 2, "digits")) {
      double[] distributed = new SparkTrainer(jsc(), f32, f32.build(3), NLL, Target.CLASSES, new SgdMomentum(0.9),
          options).gradientAt(data, 0, 1);
      double[] local = localTrainer(f32.build(3), options).gradientAt(PartitionedDataset.split(train, 2), 0, 1);
      double[] float64 = localTrainer(new ModelSpec(784, List.of(LayerSpec.linear(784, 32), LayerSpec.of("LeakyReLU"),
          LayerSpec.linear(32, 10), LayerSpec.of("SoftMax"))).build(3), options)
          .gradientAt(PartitionedDataset.split(train, 2), 0, 1);
      assertTrue(TrainerAssertions.relativeDifference(local, distributed) < 1e-5, "Spark vs local in float32");
      double vs64 = TrainerAssertions.relativeDifference(float64, distributed);
      assertTrue(vs64 < 1e-4 && vs64 > 0, "float32 vs float64: " + vs64);
    }
  }

  @Test
  void twoEpochsOnFourPartitionsEndWhereLocalTrainerEnds() {
    TrainingOptions options = TrainingOptions.of(64, 2, 0.05, 11);
    Sequential distributed = SPEC.build(5);
    Sequential local = SPEC.build(5);
    List<EpochMetrics> epochs = new ArrayList<>();
    try (PartitionedDataset data = PartitionedDataset.distribute(jsc(), train, 4, "digits");
        PartitionedDataset val = PartitionedDataset.distribute(jsc(), validation, 2, "validation")) {
      sparkTrainer(distributed, options).fit(data, val, epochs::add);
    }
    localTrainer(local, options).fit(PartitionedDataset.split(train, 4), null, TrainingListener.none());
    double diff = TrainerAssertions.relativeDifference(local.parameters(), distributed.parameters());
    assertTrue(diff < 1e-9, "relative difference " + diff);
    assertEquals(2, epochs.size());
    assertTrue(epochs.get(1).trainLoss() < epochs.get(0).trainLoss(), "the loss falls");
    assertTrue(epochs.get(1).validation().accuracy() > 0.5, "accuracy " + epochs.get(1).validation().accuracy());
  }

  @Test
  void distributedEvaluationEqualsLocalEvaluation() {
    Sequential model = SPEC.build(8);
    TrainingOptions options = TrainingOptions.of(64, 1, 0.05, 11);
    Evaluation local = localTrainer(SPEC.build(8), options).evaluate(validation);
    try (PartitionedDataset val = PartitionedDataset.distribute(jsc(), validation, 3, "validation")) {
      Evaluation distributed = sparkTrainer(model, options).evaluate(val);
      assertEquals(local.count(), distributed.count());
      assertEquals(local.correct(), distributed.correct());
      assertEquals(local.loss(), distributed.loss(), 1e-12);
      for (int i = 0; i < 10; i++) {
        assertArrayEquals(local.confusion()[i], distributed.confusion()[i]);
      }
    }
  }

  @Test
  void aTaskThatFailsOnceIsRetriedAndTheResultIsBitIdentical() {
    TrainingOptions options = TrainingOptions.of(100, 1, 0.05, 13);
    Sequential clean = SPEC.build(2);
    Sequential faulty = SPEC.build(2);
    TaskEvents events;
    try (PartitionedDataset data = PartitionedDataset.distribute(jsc(), train, 2, "digits")) {
      sparkTrainer(clean, options).fit(data, null, TrainingListener.none());
      events = TaskEvents.on(jsc());
      sparkTrainer(faulty, options).withExchange(Exchange.JOBS).failFirstAttemptAt(3)
          .fit(data, null, TrainingListener.none());
      events.stop(jsc());
    }
    // Spark saw exactly the injected failure, and ran partition 0 of that stage again as attempt 1.
    List<TaskEvents.TaskEnd> failed = events.failures();
    assertEquals(1, failed.size(), failed.toString());
    TaskEvents.TaskEnd first = failed.get(0);
    assertEquals(0, first.partition());
    assertEquals(0, first.attempt());
    assertTrue(first.failure().contains("injected failure of partition 0 at iteration 3"), first.failure());
    assertTrue(events.ends().contains(new TaskEvents.TaskEnd(first.stage(), 0, 1, true, null)),
        "the retry succeeded: " + events.ends());
    assertArrayEquals(clean.parameters(), faulty.parameters(), 0.0);
  }

  @Test
  void theSameSeedGivesBitIdenticalWeightsAcrossRuns() {
    TrainingOptions options = TrainingOptions.of(128, 1, 0.05, 17);
    Sequential a = SPEC.build(4);
    Sequential b = SPEC.build(4);
    try (PartitionedDataset data = PartitionedDataset.distribute(jsc(), train, 3, "digits")) {
      sparkTrainer(a, options).fit(data, null, TrainingListener.none());
      sparkTrainer(b, options).fit(data, null, TrainingListener.none());
    }
    assertArrayEquals(a.parameters(), b.parameters(), 0.0);
  }
  @Test
  void replayingTasksLocalTrainerEndsBitIdenticalWithDropoutAndBatchNormalization() {
    ModelSpec spec = new ModelSpec(784, List.of(LayerSpec.linear(784, 32), LayerSpec.of("BatchNormalization"),
        LayerSpec.of("LeakyReLU"), LayerSpec.of("Dropout").with("p", 0.3), LayerSpec.linear(32, 10),
        LayerSpec.of("SoftMax")));
    TrainerAssertions.assertDistributedEqualsLocal(jsc(), TrainingCase.of(spec, train).withPartitions(3)
        .withOptions(TrainingOptions.of(100, 2, 0.05, 19)).withModelSeed(6));
  }

  @Test
  void aRunsReplicasAreReleasedWhenItsTrainingAndItsEvaluationEnd() {
    TrainingOptions options = TrainingOptions.of(100, 2, 0.05, 29);
    SparkTrainer trainer = sparkTrainer(SPEC.build(3), options);
    List<Integer> heldDuringTraining = new ArrayList<>();
    try (PartitionedDataset data = PartitionedDataset.distribute(jsc(), train, 2, "digits");
        PartitionedDataset val = PartitionedDataset.distribute(jsc(), validation, 2, "validation")) {
      trainer.fit(data, val, m -> heldDuringTraining.add(ReplicaPool.held(trainer.runId())));
      assertEquals(0, ReplicaPool.held(trainer.runId()), "after fit");
      trainer.evaluate(val);
      assertEquals(0, ReplicaPool.held(trainer.runId()), "after a stand-alone evaluation");
    }
    assertTrue(heldDuringTraining.get(0) > 0, "the run pooled replicas while it trained: " + heldDuringTraining);
  }

  @Test
  void aPooledReplicaServesOnlyTheModelItWasBuiltFrom() {
    ModelSpec wider = new ModelSpec(784, List.of(LayerSpec.linear(784, 40), LayerSpec.of("LeakyReLU"),
        LayerSpec.linear(40, 10), LayerSpec.of("SoftMax")));
    Replica narrow = ReplicaPool.borrow("run-x", SPEC, NLL, Target.CLASSES);
    ReplicaPool.giveBack("run-x", SPEC, NLL, Target.CLASSES, narrow);
    Replica other = ReplicaPool.borrow("run-x", wider, NLL, Target.CLASSES);
    assertEquals(wider.build(0).parameterCount(), other.model().parameterCount());
    assertTrue(other != narrow, "a replica of another spec under the same run id is not reused");
    assertTrue(ReplicaPool.borrow("run-x", SPEC, NLL, Target.CLASSES) == narrow);
    ReplicaPool.release("run-x");
    assertEquals(0, ReplicaPool.held("run-x"));
  }
}
