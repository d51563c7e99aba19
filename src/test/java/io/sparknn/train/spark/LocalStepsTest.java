package io.sparknn.train.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparknn.data.PartitionedDataset;
import io.sparknn.nn.Sequential;
import io.sparknn.nn.criterion.CriterionSpec;
import io.sparknn.optim.Adam;
import io.sparknn.optim.Optimizer;
import io.sparknn.optim.SgdMomentum;
import io.sparknn.testing.SparkTestBase;
import io.sparknn.testing.TaskEvents;
import io.sparknn.train.EpochMetrics;
import io.sparknn.train.LocalTrainer;
import io.sparknn.train.Objective;
import io.sparknn.train.Target;
import io.sparknn.train.TrainingListener;
import io.sparknn.train.TrainingOptions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Local SGD ({@link TrainingOptions#localSteps}): a round of K steps on each partition ends in the same bits on
 * Spark, over one job per iteration (the sums on the driver or reduce-scattered through the shuffle) and over
 * the channel, as in one JVM, also when a task is retried; the driver synchronises once a round; with one
 * partition and no momentum a round is its steps of plain SGD, clipped if asked; what it cannot honour is refused.
 */
class LocalStepsTest extends SparkTestBase {
  // 900 rows in batches of 100: 9 steps an epoch, so rounds of 4 steps are 4, 4 and a short 1.
  private static final TrainingOptions LOCAL = TrainingOptions.of(100, 2, 0.05, 23).withLocalSteps(4);

  @BeforeAll
  static void loadDigits() {
    ChannelExchangeTest.loadDigits();
  }

  private static double[] oneJvm(TrainingOptions options, Optimizer optimizer, int partitions,
      List<Long> iterations) {
    Sequential model = ChannelExchangeTest.SPEC.build(7);
    new LocalTrainer(model, new Objective(new CriterionSpec("ClassNLL").build(), Target.CLASSES), optimizer,
        options).replayTasks().fit(PartitionedDataset.split(ChannelExchangeTest.train, partitions), null,
        heard(iterations));
    return weightsAndState(model);
  }

  private static TrainingListener heard(List<Long> iterations) {
    return new TrainingListener() {
      @Override
      public void onIteration(int epoch, long iteration, double loss, double[] weights) {
        iterations.add(iteration);
      }

      @Override
      public void onEpoch(EpochMetrics metrics) {}
    };
  }

  private static double[] weightsAndState(Sequential model) {
    double[] all = Arrays.copyOf(model.parameters(), model.parameterCount() + model.stateCount());
    System.arraycopy(model.state(), 0, all, model.parameterCount(), model.stateCount());
    return all;
  }

  private double[] onSpark(PartitionedDataset data, Exchange how, Aggregation path, SparkTrainer[] used) {
    Sequential model = ChannelExchangeTest.SPEC.build(7);
    SparkTrainer t = ChannelExchangeTest.trainer(jsc(), model, LOCAL, how).withAggregation(path);
    if (used != null) {
      t.failFirstAttemptAt(4);  // the second round's start
      used[0] = t;
    }
    t.fit(data, null, TrainingListener.none());
    assertEquals(6, t.times().iterations(), how + " " + path + ": the driver stepped once a round");
    if (how == Exchange.JOBS && path == Aggregation.DIRECT) {
      assertEquals(6L * 2 * Double.BYTES * model.parameterCount(), t.times().resultBytes(),
          "and received one float64 vector per partition a round: a third of the synchronous loop's 18");
    }
    return weightsAndState(model);
  }

  @Test
  void roundsOfLocalStepsOnSparkEndInTheSameBitsAsOneJvmOverEveryPathAndUnderARetry() {
    List<Long> heard = new ArrayList<>();
    double[] laptop = oneJvm(LOCAL, new SgdMomentum(0.9), 2, heard);
    assertEquals(List.of(3L, 7L, 8L, 12L, 16L, 17L), heard, "the listener hears each round's last iteration");
    try (PartitionedDataset data = PartitionedDataset.distribute(jsc(), ChannelExchangeTest.train, 2, "digits")) {
      assertArrayEquals(laptop, onSpark(data, Exchange.JOBS, Aggregation.DIRECT, null), "one job a round");
      assertArrayEquals(laptop, onSpark(data, Exchange.JOBS, Aggregation.SLICED, null), "the shuffle's slices");
      assertArrayEquals(laptop, onSpark(data, Exchange.CHANNEL, Aggregation.DIRECT, null), "the channel");
      SparkTrainer[] faulty = new SparkTrainer[1];
      TaskEvents events = TaskEvents.on(jsc());
      double[] retried = onSpark(data, Exchange.JOBS, Aggregation.DIRECT, faulty);
      events.stop(jsc());
      assertEquals(1, events.failures().stream().filter(f -> f.failure() != null
          && f.failure().contains("injected failure of partition 0 at iteration 4")).count(), events.ends().toString());
      assertArrayEquals(laptop, retried, "a round whose task was retried");
      double[] oneStep = new LocalTrainer(ChannelExchangeTest.SPEC.build(7), new Objective(
          new CriterionSpec("ClassNLL").build(), Target.CLASSES), new SgdMomentum(0.9), LOCAL).replayTasks()
          .gradientAt(PartitionedDataset.split(ChannelExchangeTest.train, 2), 0, 2);
      assertArrayEquals(oneStep, ChannelExchangeTest.trainer(jsc(), ChannelExchangeTest.SPEC.build(7), LOCAL,
          Exchange.JOBS).gradientAt(data, 0, 2), "gradientAt is one step's gradient, not a round's");
    }
    double[] synchronous = oneJvm(LOCAL.withLocalSteps(1), new SgdMomentum(0.9), 2, new ArrayList<>());
    assertFalse(Arrays.equals(laptop, synchronous), "two partitions' own steps are not the synchronous loop");
  }

  @Test
  void withOnePartitionAndNoMomentumARoundIsItsStepsOfPlainSgd() {
    // The round's displacement goes to the driver as a gradient and comes back times the rate: equal up to that
    // rounding, and the running statistics are the round's last.
    double[] rounds = oneJvm(LOCAL, new SgdMomentum(0), 1, new ArrayList<>());
    double[] steps = oneJvm(LOCAL.withLocalSteps(1), new SgdMomentum(0), 1, new ArrayList<>());
    assertArrayEquals(steps, rounds, 1e-12);
    assertFalse(Arrays.equals(steps, rounds), "two different computations, not one path taken twice");
  }

  @Test
  void withClippingEachLocalStepIsClippedOnItsPartitionAndNotTheRoundOnTheDriver() {
    // A norm below every step's mean gradient, so that each step is clipped: with one partition and no momentum a
    // round is then its steps of clipped plain SGD, as the synchronous loop clips them (up to the rate's rounding).
    TrainingOptions clipped = new TrainingOptions(100, 2, 0.05, null, 23, null, 0.05, 0, 4);
    double[] rounds = oneJvm(clipped, new SgdMomentum(0), 1, new ArrayList<>());
    double[] steps = oneJvm(clipped.withLocalSteps(1), new SgdMomentum(0), 1, new ArrayList<>());
    assertArrayEquals(steps, rounds, 1e-12);
    double[] unclipped = oneJvm(LOCAL, new SgdMomentum(0), 1, new ArrayList<>());
    double moved = 0;
    double movedUnclipped = 0;
    double[] start = weightsAndState(ChannelExchangeTest.SPEC.build(7));
    int n = ChannelExchangeTest.SPEC.build(7).parameterCount();
    for (int i = 0; i < n; i++) {
      moved += (rounds[i] - start[i]) * (rounds[i] - start[i]);
      movedUnclipped += (unclipped[i] - start[i]) * (unclipped[i] - start[i]);
    }
    // 18 steps of rate 0.05 whose mean gradients were clipped to 0.05 move the weights at most 18 · 0.05 · 0.05
    assertTrue(Math.sqrt(moved) <= 18 * 0.05 * 0.05 + 1e-12, "clipped: moved " + Math.sqrt(moved));
    assertTrue(Math.sqrt(movedUnclipped) > 18 * 0.05 * 0.05, "unclipped: moved " + Math.sqrt(movedUnclipped));
    // and on Spark, two partitions, momentum: the same bits as one JVM
    double[] laptop = oneJvm(clipped, new SgdMomentum(0.9), 2, new ArrayList<>());
    try (PartitionedDataset data = PartitionedDataset.distribute(jsc(), ChannelExchangeTest.train, 2, "digits")) {
      for (Exchange how : Exchange.values()) {
        Sequential model = ChannelExchangeTest.SPEC.build(7);
        ChannelExchangeTest.trainer(jsc(), model, clipped, how).fit(data, null, TrainingListener.none());
        assertArrayEquals(laptop, weightsAndState(model), how.toString());
      }
    }
    assertFalse(Arrays.equals(laptop, oneJvm(LOCAL, new SgdMomentum(0.9), 2, new ArrayList<>())));
  }

  @Test
  void withWeightDecayEachLocalStepDecaysOnItsPartitionAndTheDriverStepsUndecayed() {
    // With one partition and no momentum a round is then its steps of decayed plain SGD, as the synchronous loop's
    // optimizer decays them; had the driver decayed the round again, the two would part.
    double decay = 0.05;
    double[] rounds = oneJvm(LOCAL, new SgdMomentum(0, false, decay), 1, new ArrayList<>());
    double[] steps = oneJvm(LOCAL.withLocalSteps(1), new SgdMomentum(0, false, decay), 1, new ArrayList<>());
    assertArrayEquals(steps, rounds, 1e-12);
    assertFalse(Arrays.equals(rounds, oneJvm(LOCAL, new SgdMomentum(0), 1, new ArrayList<>())), "it decayed");
    // and on Spark, two partitions, momentum: the same bits as one JVM over every exchange
    double[] laptop = oneJvm(LOCAL, new SgdMomentum(0.9, false, decay), 2, new ArrayList<>());
    try (PartitionedDataset data = PartitionedDataset.distribute(jsc(), ChannelExchangeTest.train, 2, "digits")) {
      for (Exchange how : Exchange.values()) {
        Sequential model = ChannelExchangeTest.SPEC.build(7);
        SparkTrainer t = new SparkTrainer(jsc(), ChannelExchangeTest.SPEC, model, new CriterionSpec("ClassNLL"),
            Target.CLASSES, new SgdMomentum(0.9, false, decay), LOCAL).withExchange(how);
        t.fit(data, null, TrainingListener.none());
        assertArrayEquals(laptop, weightsAndState(model), how.toString());
      }
    }
  }

  @Test
  void whatARoundCannotHonourIsRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LOCAL.withShards(8));
    assertEquals("local steps (4) and fixed row shards (8) do not go together: each partition's own steps depend "
        + "on how many partitions there are", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> LOCAL.withLocalSteps(0));
    assertEquals("local steps must be >= 1 (1: synchronous SGD), got 0", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> oneJvm(LOCAL, new Adam(), 2, new ArrayList<>()));
    assertTrue(e.getMessage().startsWith("local steps (4) need SGD with momentum on the driver, got Adam"),
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new TrainingOptions(100, 1, 0.05, null, 1, null, 0, 0, 1,
        1e-4));
    assertEquals("a local step's weight decay (1.0E-4) needs local steps (K > 1); the synchronous loop's decay is "
        + "its optimizer's", e.getMessage());
  }
}
