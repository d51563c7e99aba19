package io.sparknn.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparknn.data.Dataset;
import io.sparknn.data.GaussianBlobs;
import io.sparknn.nn.Linear;
import io.sparknn.nn.ReLU;
import io.sparknn.nn.Sequential;
import io.sparknn.nn.SoftMax;
import io.sparknn.nn.criterion.ClassNLLCriterion;
import io.sparknn.optim.SgdMomentum;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The homework's toy example and the trainer's guarantees. */
class LocalTrainerTest {
  private static final Dataset BLOBS = GaussianBlobs.generate(500, 2017);

  private static List<EpochMetrics> train(Sequential net, Dataset data, long seed) {
    List<EpochMetrics> epochs = new ArrayList<>();
    LocalTrainer t = new LocalTrainer(net, new Objective(new ClassNLLCriterion(), Target.CLASSES),
        new SgdMomentum(0.9), TrainingOptions.of(128, 20, 0.1, seed));
    t.fit(data, data, epochs::add);
    return epochs;
  }

  @Test
  void logisticRegressionSolvesTheTwoBlobs() {
    Sequential net = new Sequential().add(new Linear(2, 2)).add(new SoftMax());
    net.reset(1);
    List<EpochMetrics> epochs = train(net, BLOBS, 1);
    EpochMetrics last = epochs.get(epochs.size() - 1);
    assertEquals(20, epochs.size());
    assertTrue(last.trainLoss() < 0.05, "loss " + last.trainLoss());
    assertTrue(last.validation().accuracy() >= 0.99, "accuracy " + last.validation().accuracy());
  }

  @Test
  void aTwoFourTwoReluNetSolvesTheTwoBlobs() {
    Sequential net = new Sequential().add(new Linear(2, 4)).add(new ReLU()).add(new Linear(4, 2))
        .add(new SoftMax());
    net.reset(2);
    EpochMetrics last = train(net, BLOBS, 2).get(19);
    assertTrue(last.trainLoss() < 0.05, "loss " + last.trainLoss());
    assertTrue(last.validation().accuracy() >= 0.99, "accuracy " + last.validation().accuracy());
  }

  @Test
  void theSameSeedGivesBitIdenticalWeights() {
    Sequential a = new Sequential().add(new Linear(2, 4)).add(new ReLU()).add(new Linear(4, 2)).add(new SoftMax());
    Sequential b = new Sequential().add(new Linear(2, 4)).add(new ReLU()).add(new Linear(4, 2)).add(new SoftMax());
    a.reset(5);
    b.reset(5);
    train(a, BLOBS, 9);
    train(b, BLOBS, 9);
    assertArrayEquals(a.parameters(), b.parameters(), 0.0);
  }

  @Test
  void aDivergingRunStopsNamingTheIteration() {
    Sequential net = new Sequential().add(new Linear(2, 2)).add(new SoftMax());
    float[] xy = new float[200];
    xy[150] = Float.NaN;
    Dataset poisoned = Dataset.ofFloats(xy, new byte[100], 100, 2, 2);
    LocalTrainer t = new LocalTrainer(net, new Objective(new ClassNLLCriterion(), Target.CLASSES),
        new SgdMomentum(0.9), TrainingOptions.of(10, 3, 0.1, 1));
    TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
        () -> t.fit(poisoned, null, TrainingListener.none()));
    assertTrue(e.getMessage().contains("iteration " + e.iteration()), e.getMessage());
  }
  @Test
  void aRunRestoredFromASnapshotEndsBitIdenticalToAnUninterruptedOne() {
    Sequential straight = new Sequential().add(new Linear(2, 4)).add(new ReLU()).add(new Linear(4, 2))
        .add(new SoftMax());
    Sequential resumed = new Sequential().add(new Linear(2, 4)).add(new ReLU()).add(new Linear(4, 2))
        .add(new SoftMax());
    straight.reset(6);
    resumed.reset(6);
    Objective nll = new Objective(new ClassNLLCriterion(), Target.CLASSES);
    new LocalTrainer(straight, nll, new SgdMomentum(0.9), TrainingOptions.of(64, 5, 0.1, 3))
        .fit(BLOBS, null, TrainingListener.none());
    LocalTrainer first = new LocalTrainer(resumed, nll, new SgdMomentum(0.9), TrainingOptions.of(64, 2, 0.1, 3));
    first.fit(BLOBS, null, TrainingListener.none());
    TrainingState atTwo = first.snapshot();
    Sequential fresh = new Sequential().add(new Linear(2, 4)).add(new ReLU()).add(new Linear(4, 2))
        .add(new SoftMax());
    LocalTrainer second = new LocalTrainer(fresh, nll, new SgdMomentum(0.9), TrainingOptions.of(64, 5, 0.1, 3));
    second.restore(atTwo);
    List<EpochMetrics> rest = new ArrayList<>();
    second.fit(BLOBS, null, rest::add);
    assertEquals(List.of(3, 4, 5), rest.stream().map(EpochMetrics::epoch).toList());
    assertArrayEquals(straight.parameters(), fresh.parameters(), 0.0);
  }

  /** Stands for a driver killed right after a checkpoint. */
  private static final class Interrupted extends RuntimeException {}

  @Test
  void anEpochInterruptedMidwayAndResumedReportsTheUninterruptedTrainLoss() {
    Objective nll = new Objective(new ClassNLLCriterion(), Target.CLASSES);
    TrainingOptions options = TrainingOptions.of(64, 3, 0.1, 3);
    Sequential straight = new Sequential().add(new Linear(2, 4)).add(new ReLU()).add(new Linear(4, 2))
        .add(new SoftMax());
    straight.reset(6);
    List<EpochMetrics> reference = new ArrayList<>();
    new LocalTrainer(straight, nll, new SgdMomentum(0.9), options).fit(BLOBS, null, reference::add);

    // 1,000 rows at 64: 16 steps per epoch; stop after iteration 20, five steps into the second epoch.
    Sequential interrupted = new Sequential().add(new Linear(2, 4)).add(new ReLU()).add(new Linear(4, 2))
        .add(new SoftMax());
    interrupted.reset(6);
    LocalTrainer first = new LocalTrainer(interrupted, nll, new SgdMomentum(0.9), options);
    TrainingState[] checkpoint = new TrainingState[1];
    List<EpochMetrics> epochs = new ArrayList<>();
    assertThrows(Interrupted.class, () -> first.fit(BLOBS, null, new TrainingListener() {
      @Override
      public void onEpoch(EpochMetrics m) {
        epochs.add(m);
      }

      @Override
      public void onIteration(int epoch, long iteration, double loss, double[] weights) {
        if (iteration == 20) {
          checkpoint[0] = first.snapshot();
          throw new Interrupted();
        }
      }
    }));
    assertEquals(1, checkpoint[0].epoch());
    assertEquals(5, checkpoint[0].step());
    Sequential fresh = new Sequential().add(new Linear(2, 4)).add(new ReLU()).add(new Linear(4, 2))
        .add(new SoftMax());
    LocalTrainer second = new LocalTrainer(fresh, nll, new SgdMomentum(0.9), options);
    second.restore(checkpoint[0]);
    second.fit(BLOBS, null, epochs::add);
    assertEquals(reference.stream().map(EpochMetrics::trainLoss).toList(),
        epochs.stream().map(EpochMetrics::trainLoss).toList(), "train_loss per epoch");
    assertArrayEquals(straight.parameters(), fresh.parameters(), 0.0);
  }

  private static List<EpochMetrics> mnistRun(double lr) {
    Dataset digits = io.sparknn.data.MnistFiles.trainAndTest(io.sparknn.data.MnistFiles.defaultDir())[0]
        .slice(0, 2000);
    Sequential net = new Sequential().add(new Linear(784, 32)).add(new ReLU()).add(new Linear(32, 10))
        .add(new SoftMax());
    net.reset(4);
    List<EpochMetrics> epochs = new ArrayList<>();
    new LocalTrainer(net, new Objective(new ClassNLLCriterion(), Target.CLASSES), new SgdMomentum(0.9),
        TrainingOptions.of(100, 2, lr, 5)).fit(digits, null, epochs::add);
    return epochs;
  }

  @Test
  void aRunWhoseOutputsSaturateStopsAfterItsFirstEpochNamingTheRule() {
    // lr 1e6 saturates the SoftMax at the first step: finite loss near 31, gradient exactly zero, forever.
    TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () -> mnistRun(1e6));
    assertEquals(19, e.iteration(), "the last iteration of the first epoch (20 steps of 100)");
    assertTrue(e.getMessage().contains("diverged at iteration 19 (epoch 1)"), e.getMessage());
    assertTrue(e.getMessage().contains(DivergenceRule.EPOCH_LOSS), e.getMessage());
  }

  @Test
  void aSlowButHealthyRunDoesNotTripTheEpochRule() {
    // lr 1e-4 hardly moves the loss in two epochs: its epoch means sit at the first iteration's, not twice it.
    List<EpochMetrics> epochs = mnistRun(1e-4);
    assertEquals(2, epochs.size());
  }
}
