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
 * counted as they arrive, a failing task replaced; the same with the sums added among the tasks ({@link PeerMesh}),
 * the driver moving one vector each way; and a stage that could never start (more partitions than task slots)
 * refused by name.
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
  void summedAmongTheTasksTheChannelEqualsOneJobPerIterationMovesOneVectorEachWayAndSurvivesAFailedTask() {
    TrainingOptions options = TrainingOptions.of(100, 2, 0.05, 13);
    Sequential jobs = ChannelExchangeTest.SPEC.build(6);
    Sequential sliced = ChannelExchangeTest.SPEC.build(6);
    SparkTrainer slicedTrainer = ChannelExchangeTest.trainer(jsc(), sliced, options, Exchange.CHANNEL)
        .withAggregation(Aggregation.SLICED).failFirstAttemptAt(7);
    TaskEvents events;
    try (PartitionedDataset data = PartitionedDataset.distribute(jsc(), ChannelExchangeTest.train, 2, "digits")) {
      ChannelExchangeTest.trainer(jsc(), jobs, options, Exchange.JOBS).withAggregation(Aggregation.DIRECT)
          .fit(data, null, TrainingListener.none());
      events = TaskEvents.on(jsc());
      slicedTrainer.fit(data, null, TrainingListener.none());
      events.stop(jsc());
    }
    assertTrue(events.failures().stream()
        .anyMatch(f -> f.failure() != null && f.failure().contains("injected failure of partition 0 at iteration 7")),
        events.ends().toString());
    assertEquals(1, slicedTrainer.channelRestarts());
    assertArrayEquals(jobs.parameters(), sliced.parameters(), 0.0);
    assertArrayEquals(jobs.state(), sliced.state(), 0.0);
    // Per iteration the driver sent one copy of the weights and running statistics, cut in two, and received one
    // summed gradient, cut in two, without its +0.0 entries (the pixels blank in all 100 rows of a batch): fewer
    // bytes than one dense vector, and not one per partition.
    IterationTimes t = slicedTrainer.times();
    assertEquals(18, t.iterations());
    long dense = t.iterations() * (long) Double.BYTES * sliced.parameterCount();
    assertTrue(t.resultBytes() < 0.95 * dense && t.resultBytes() > dense / 4,
        t.resultBytes() + " bytes against " + dense + " dense");
    assertEquals(t.iterations() * (long) Double.BYTES * (sliced.parameterCount() + sliced.stateCount()),
        t.weightBytes());
  }

  @Test
  void summedAmongTheTasksWithFloat32WeightsTheChannelEqualsTheShufflesSlicedPath() {
    // Both round the weights to float32 and keep the gradient slices float64.
    TrainingOptions options = TrainingOptions.of(150, 1, 0.05, 17);
    Sequential jobs = ChannelExchangeTest.SPEC.build(9);
    Sequential channel = ChannelExchangeTest.SPEC.build(9);
    try (PartitionedDataset data = PartitionedDataset.distribute(jsc(), ChannelExchangeTest.train, 2, "digits")) {
      ChannelExchangeTest.trainer(jsc(), jobs, options, Exchange.JOBS).withAggregation(Aggregation.SLICED)
          .withWireFormat(WireFormat.FLOAT32).fit(data, null, TrainingListener.none());
      ChannelExchangeTest.trainer(jsc(), channel, options, Exchange.CHANNEL).withAggregation(Aggregation.SLICED)
          .withWireFormat(WireFormat.FLOAT32).fit(data, null, TrainingListener.none());
    }
    assertArrayEquals(jobs.parameters(), channel.parameters(), 0.0);
    assertArrayEquals(jobs.state(), channel.state(), 0.0);
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
