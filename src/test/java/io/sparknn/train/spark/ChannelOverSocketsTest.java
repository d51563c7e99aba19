package io.sparknn.train.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparknn.data.PartitionedDataset;
import io.sparknn.nn.Sequential;
import io.sparknn.testing.SparkTestBase;
import io.sparknn.testing.TaskEvents;
import io.sparknn.train.TrainingListener;
import io.sparknn.train.TrainingOptions;
import java.util.List;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The channel exchange over real TCP links in local mode (the same-JVM hand-off switched off, as for executors
 * in other JVMs): equal to one job per iteration bit for bit, gradients sent without their zeros and their bytes
 * counted as they arrive, a failing task replaced; and a stage that could never start (more partitions than task
 * slots) refused by name.
 */
class ChannelOverSocketsTest extends SparkTestBase {
  @Override
  public SparkConf conf() {
    return super.conf().set(PartitionJobs.SAME_JVM_RESULTS_KEY, "false").set(ChannelRounds.TIMEOUT_KEY, "3s");
  }

  @BeforeAll
  static void loadDigits() {
    ChannelExchangeTest.loadDigits();
  }

  @Test
  void overSocketsTheChannelEqualsOneJobPerIterationAndSurvivesAFailedTask() {
    TrainingOptions options = TrainingOptions.of(100, 2, 0.05, 11);
    Sequential jobs = ChannelExchangeTest.SPEC.build(4);
    Sequential channel = ChannelExchangeTest.SPEC.build(4);
    SparkTrainer channelTrainer = ChannelExchangeTest.trainer(jsc(), channel, options, Exchange.CHANNEL)
        .failFirstAttemptAt(12);
    List<Double> jobsAccuracy;
    List<Double> channelAccuracy;
    TaskEvents events;
    try (PartitionedDataset data = PartitionedDataset.distribute(jsc(), ChannelExchangeTest.train, 2, "digits");
        PartitionedDataset val = PartitionedDataset.distribute(jsc(), ChannelExchangeTest.validation, 2, "val")) {
      jobsAccuracy = ChannelExchangeTest.fit(ChannelExchangeTest.trainer(jsc(), jobs, options, Exchange.JOBS),
          data, val);
      events = TaskEvents.on(jsc());
      channelAccuracy = ChannelExchangeTest.fit(channelTrainer, data, val);
      events.stop(jsc());
    }
    assertTrue(events.failures().stream()
        .anyMatch(f -> f.failure() != null && f.failure().contains("injected failure of partition 0 at iteration 12")),
        events.ends().toString());
    assertEquals(1, channelTrainer.channelRestarts());
    assertArrayEquals(jobs.parameters(), channel.parameters(), 0.0);
    assertArrayEquals(jobs.state(), channel.state(), 0.0);
    assertEquals(jobsAccuracy, channelAccuracy);
    IterationTimes t = channelTrainer.times();
    assertEquals(18, t.iterations());
    // Every iteration the driver received one float64 gradient per partition, without its +0.0 entries: 50 rows
    // of digits per task leave many pixels blank in all of them, so fewer bytes than dense arrived, and no more.
    long dense = t.iterations() * 2L * Double.BYTES * channel.parameterCount();
    assertTrue(t.resultBytes() < 0.9 * dense, t.resultBytes() + " bytes against " + dense + " dense");
    assertTrue(t.resultBytes() > t.iterations() * 2L * (channel.parameterCount() / 64) * Long.BYTES,
        t.resultBytes() + " bytes");
    assertEquals(t.iterations() * 2L * Double.BYTES * (channel.parameterCount() + channel.stateCount()),
        t.weightBytes(), "and sent every partition the weights and running statistics once");
  }

  @Test
  void morePartitionsThanTaskSlotsAreRefusedNamingBoth() {
    Sequential model = ChannelExchangeTest.SPEC.build(1);
    try (PartitionedDataset data = PartitionedDataset.distribute(jsc(), ChannelExchangeTest.train, 3, "digits")) {
      SparkTrainer t = ChannelExchangeTest.trainer(jsc(), model, TrainingOptions.of(100, 1, 0.05, 1),
          Exchange.CHANNEL);
      IllegalStateException e = assertThrows(IllegalStateException.class,
          () -> t.fit(data, null, TrainingListener.none()));
      assertTrue(e.getMessage().contains("all 3 partitions") && e.getMessage().contains("offers 2 task slots")
          && e.getMessage().contains(Exchange.KEY), e.getMessage());
    }
  }
}
