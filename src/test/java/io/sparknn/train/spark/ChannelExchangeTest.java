package io.sparknn.train.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
import io.sparknn.train.EpochMetrics;
import io.sparknn.train.Target;
import io.sparknn.train.TrainingListener;
import io.sparknn.train.TrainingOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The channel exchange (long-lived barrier tasks linked to the driver) against one job per iteration, bit for
 * bit, in Spark local mode where the links hand objects over inside the JVM: with a validation set evaluated
 * between epochs, across epochs in one stage and with a listener's own jobs between them, with a task that fails
 * mid-epoch (the stage is replaced and the iteration rerun), and in
 * float32 on the wire.
 */
class ChannelExchangeTest extends SparkTestBase {
  static Dataset train;
  static Dataset validation;
  // BatchNormalization and Dropout: running statistics and per-task seeds must match the jobs path too.
  static final ModelSpec SPEC = new ModelSpec(784, List.of(LayerSpec.linear(784, 24),
      LayerSpec.of("BatchNormalization"), LayerSpec.of("LeakyReLU"), LayerSpec.of("Dropout").with("p", 0.2),
      LayerSpec.linear(24, 10), LayerSpec.of("SoftMax")));

  @BeforeAll
  static void loadDigits() {
    if (train != null) {
      return;
    }
    Dataset all = MnistFiles.trainAndTest(MnistFiles.defaultDir())[0].slice(0, 1100);
    train = all.slice(0, 900);
    validation = all.slice(900, 1100);
  }

  static SparkTrainer trainer(org.apache.spark.api.java.JavaSparkContext sc, Sequential model,
      TrainingOptions options, Exchange how) {
    return new SparkTrainer(sc, SPEC, model, new CriterionSpec("ClassNLL"), Target.CLASSES, new SgdMomentum(0.9),
        options).withExchange(how);
  }

  /** Fits with {@code how} and returns the epochs' validation accuracies. */
  static List<Double> fit(SparkTrainer t, PartitionedDataset data, PartitionedDataset val) {
    List<Double> accuracies = new ArrayList<>();
    t.fit(data, val, new TrainingListener() {
      @Override
      public void onEpoch(EpochMetrics m) {
        accuracies.add(m.validation().accuracy());
      }
    });
    return accuracies;
  }

  @Test
  void threeEpochsWithValidationEndBitIdenticalToOneJobPerIteration() {
    TrainingOptions options = TrainingOptions.of(100, 3, 0.05, 23);
    Sequential jobs = SPEC.build(5);
    Sequential channel = SPEC.build(5);
    SparkTrainer channelTrainer = trainer(jsc(), channel, options, Exchange.CHANNEL);
    List<Double> jobsAccuracy;
    List<Double> channelAccuracy;
    TaskEvents events;
    try (PartitionedDataset data = PartitionedDataset.distribute(jsc(), train, 2, "digits");
        PartitionedDataset val = PartitionedDataset.distribute(jsc(), validation, 2, "validation")) {
      jobsAccuracy = fit(trainer(jsc(), jobs, options, Exchange.JOBS), data, val);
      events = TaskEvents.on(jsc());
      channelAccuracy = fit(channelTrainer, data, val);
      events.stop(jsc());
    }
    assertArrayEquals(jobs.parameters(), channel.parameters(), 0.0);
    assertArrayEquals(jobs.state(), channel.state(), 0.0);
    assertEquals(jobsAccuracy, channelAccuracy);
    assertEquals(0, channelTrainer.channelRestarts());
    // 27 iterations ran in 3 training stages (one per epoch), not 27 jobs; the other 5 stages are the three
    // evaluations and the two replica releases.
    long stages = events.ends().stream().mapToInt(e -> e.stage()).distinct().count();
    assertEquals(3 + 3 + 2, stages, "tasks: " + events.ends());
    assertEquals(27, channelTrainer.times().iterations());
  }

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)  // guards against a hang: a job waiting for ever for the slots
  void oneStageServesEveryEpochUntilAListenersJobNeedsItsSlots() {
    TrainingOptions options = TrainingOptions.of(100, 3, 0.05, 41);
    Sequential jobs = SPEC.build(9);
    Sequential kept = SPEC.build(9);
    Sequential yielded = SPEC.build(9);
    List<Long> counted = new ArrayList<>();
    TaskEvents keptEvents;
    TaskEvents yieldedEvents;
    try (PartitionedDataset data = PartitionedDataset.distribute(jsc(), train, 2, "digits")) {
      trainer(jsc(), jobs, options, Exchange.JOBS).fit(data, null, TrainingListener.none());
      keptEvents = TaskEvents.on(jsc());
      trainer(jsc(), kept, options, Exchange.CHANNEL).fit(data, null, TrainingListener.none());
      keptEvents.stop(jsc());
      yieldedEvents = TaskEvents.on(jsc());
      // A listener that runs a Spark job of its own between epochs: the job needs the slots the stage holds.
      trainer(jsc(), yielded, options, Exchange.CHANNEL).fit(data, null, new TrainingListener() {
        @Override
        public void onEpoch(EpochMetrics m) {
          counted.add(jsc().parallelize(List.of(1, 2, 3, 4), 2).count());
        }
      });
      yieldedEvents.stop(jsc());
    }
    assertArrayEquals(jobs.parameters(), kept.parameters(), 0.0);
    assertArrayEquals(jobs.parameters(), yielded.parameters(), 0.0);
    assertArrayEquals(jobs.state(), yielded.state(), 0.0);
    assertEquals(List.of(4L, 4L, 4L), counted);
    // Without the listener's jobs, 27 iterations over 3 epochs ran in one training stage (plus the replica
    // release); with them, each job ended the stage and the next epoch opened another: 3 training stages, 3
    // counts and the release.
    assertEquals(1 + 1, keptEvents.ends().stream().mapToInt(e -> e.stage()).distinct().count(),
        "tasks: " + keptEvents.ends());
    assertEquals(3 + 3 + 1, yieldedEvents.ends().stream().mapToInt(e -> e.stage()).distinct().count(),
        "tasks: " + yieldedEvents.ends());
  }

  @Test
  void aTaskThatFailsMidEpochIsReplacedAndTheIterationRerunGivingTheSameBits() {
    TrainingOptions options = TrainingOptions.of(150, 1, 0.05, 31);
    Sequential clean = SPEC.build(8);
    Sequential faulty = SPEC.build(8);
    SparkTrainer faultyTrainer = trainer(jsc(), faulty, options, Exchange.CHANNEL).failFirstAttemptAt(3);
    TaskEvents events;
    try (PartitionedDataset data = PartitionedDataset.distribute(jsc(), train, 2, "digits")) {
      trainer(jsc(), clean, options, Exchange.JOBS).fit(data, null, TrainingListener.none());
      events = TaskEvents.on(jsc());
      faultyTrainer.fit(data, null, TrainingListener.none());
      events.stop(jsc());
    }
    // The fault really happened: Spark saw partition 0's task fail with it, and a new stage took over.
    String injected = "injected failure of partition 0 at iteration 3";
    assertEquals(1, events.failures().stream().filter(f -> f.failure() != null && f.failure().contains(injected))
        .count(), events.ends().toString());
    assertEquals(1, faultyTrainer.channelRestarts());
    assertArrayEquals(clean.parameters(), faulty.parameters(), 0.0);
    assertArrayEquals(clean.state(), faulty.state(), 0.0);
  }

  @Test
  void aListenerEvaluatingMidEpochGetsTheSlotsAndChangesNoBit() {
    // The channel's stage holds every task slot; the trainer's own evaluate, called from a listener, ends it
    // first (without that the evaluation job would wait for the slots for ever).
    TrainingOptions options = TrainingOptions.of(100, 1, 0.05, 5);
    Sequential jobs = SPEC.build(6);
    Sequential channel = SPEC.build(6);
    try (PartitionedDataset data = PartitionedDataset.distribute(jsc(), train, 2, "digits");
        PartitionedDataset val = PartitionedDataset.distribute(jsc(), validation, 2, "validation")) {
      List<Double> jobsLosses = evaluatingEvery(3, trainer(jsc(), jobs, options, Exchange.JOBS), data, val);
      List<Double> channelLosses = evaluatingEvery(3, trainer(jsc(), channel, options, Exchange.CHANNEL), data,
          val);
      assertEquals(3, channelLosses.size());
      assertEquals(jobsLosses, channelLosses);
    }
    assertArrayEquals(jobs.parameters(), channel.parameters(), 0.0);
  }

  private static List<Double> evaluatingEvery(int period, SparkTrainer t, PartitionedDataset data,
      PartitionedDataset val) {
    List<Double> losses = new ArrayList<>();
    t.fit(data, null, new TrainingListener() {
      @Override
      public void onEpoch(EpochMetrics m) {}

      @Override
      public void onIteration(int epoch, long iteration, double loss, double[] weights) {
        if ((iteration + 1) % period == 0) {
          losses.add(t.evaluate(val).loss());
        }
      }
    });
    return losses;
  }

  @Test
  void float32OnTheWireMatchesTheJobsPathInFloat32() {
    TrainingOptions options = TrainingOptions.of(100, 1, 0.05, 7);
    Sequential jobs = SPEC.build(2);
    Sequential channel = SPEC.build(2);
    try (PartitionedDataset data = PartitionedDataset.distribute(jsc(), train, 2, "digits")) {
      trainer(jsc(), jobs, options, Exchange.JOBS).withWireFormat(WireFormat.FLOAT32)
          .fit(data, null, TrainingListener.none());
      trainer(jsc(), channel, options, Exchange.CHANNEL).withWireFormat(WireFormat.FLOAT32)
          .fit(data, null, TrainingListener.none());
    }
    assertArrayEquals(jobs.parameters(), channel.parameters(), 0.0);
  }

  @Test
  void autoTakesTheChannelOnlyWhenItCanRunAndNothingAsksForJobsAndABadSettingIsRefusedByName() {
    SparkConf conf = new SparkConf(false);
    assertEquals(Exchange.CHANNEL, Exchange.choose(conf, 2, 2, false).exchange());
    assertEquals("auto: 3 partitions, 2 task slots", Exchange.choose(conf, 3, 2, false).reason());
    assertEquals(Exchange.JOBS, Exchange.choose(conf, 2, 2, true).exchange());
    assertEquals(Exchange.JOBS, Exchange.choose(conf.clone().set("spark.scheduler.mode", "FAIR"), 2, 2, false)
        .exchange());
    assertEquals(Exchange.JOBS, Exchange.choose(conf.clone().set("spark.dynamicAllocation.enabled", "true"), 2, 8,
        false).exchange());
    assertEquals(Exchange.JOBS, Exchange.choose(conf.clone().set("spark.authenticate", "true"), 2, 8, false)
        .exchange());
    assertEquals("auto: speculation is on", Exchange.choose(conf.clone().set("spark.speculation", "true"), 2, 8,
        false).reason());
    assertEquals(Exchange.CHANNEL, Exchange.choose(conf.clone().set(Exchange.KEY, "channel"), 9, 2, true)
        .exchange(), "asked for, the channel is taken (and refused later if it cannot run)");
    assertEquals(Exchange.JOBS, Exchange.choose(conf.clone().set(Exchange.KEY, "jobs"), 2, 2, false).exchange());
    // The shared local[2,3] context: two slots.
    assertEquals(Exchange.CHANNEL, Exchange.choose(jsc().sc(), 2, false).exchange());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Exchange.setting(new SparkConf(false).set(Exchange.KEY, "rpc")));
    assertTrue(e.getMessage().contains(Exchange.KEY) && e.getMessage().contains("'rpc'")
        && e.getMessage().contains("auto, jobs or channel"), e.getMessage());
  }
}
