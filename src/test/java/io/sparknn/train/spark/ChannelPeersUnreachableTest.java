package io.sparknn.train.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparknn.data.PartitionedDataset;
import io.sparknn.nn.Sequential;
import io.sparknn.testing.SparkTestBase;
import io.sparknn.train.TrainingListener;
import io.sparknn.train.TrainingOptions;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The channel whose tasks were to add the sums among themselves, over real TCP in local mode, when one task cannot
 * be reached by the others (it tells the driver a port nothing listens on): under {@code auto} (here on a model
 * of 10 GbE links, where it chooses the tasks' own aggregation for two partitions) the driver takes the sums over
 * and the run ends in the same bits as one job per iteration; asked for explicitly, the run is refused naming the
 * setting.
 */
class ChannelPeersUnreachableTest extends SparkTestBase {
  @Override
  public SparkConf conf() {
    return super.conf().set(PartitionJobs.SAME_JVM_RESULTS_KEY, "false").set(ChannelRounds.TIMEOUT_KEY, "3s")
        .set("spark.sparknn.model.linkBytesPerMs", "1.25e6");
  }

  @BeforeAll
  static void loadDigits() {
    ChannelExchangeTest.loadDigits();
  }

  @Test
  void underAutoTheDriverTakesTheSumsOverAndTheWeightsAreTheSameBits() {
    TrainingOptions options = TrainingOptions.of(100, 1, 0.05, 19);
    Sequential jobs = ChannelExchangeTest.SPEC.build(3);
    Sequential channel = ChannelExchangeTest.SPEC.build(3);
    SparkTrainer trainer = ChannelExchangeTest.trainer(jsc(), channel, options, Exchange.CHANNEL)
        .hidePartitionZeroFromItsPeers();
    try (PartitionedDataset data = PartitionedDataset.distribute(jsc(), ChannelExchangeTest.train, 2, "digits")) {
      assertEquals(Aggregation.SLICED, trainer.aggregation(data), "auto's choice on 10 GbE");
      ChannelExchangeTest.trainer(jsc(), jobs, options, Exchange.JOBS).withAggregation(Aggregation.DIRECT)
          .fit(data, null, TrainingListener.none());
      assertNull(trainer.channelFallback());
      trainer.fit(data, null, TrainingListener.none());
    }
    // Partition 1 could not connect to partition 0 and said so; no stage was counted as broken.
    String why = trainer.channelFallback();
    assertTrue(why != null && why.contains("partition 1 could not link with its peers"), String.valueOf(why));
    assertEquals(0, trainer.channelRestarts());
    assertArrayEquals(jobs.parameters(), channel.parameters(), 0.0);
    assertArrayEquals(jobs.state(), channel.state(), 0.0);
    IterationTimes t = trainer.times();
    assertEquals(t.iterations() * 2L * Double.BYTES * (channel.parameterCount() + channel.stateCount()),
        t.weightBytes(), "the driver sent both tasks the whole weights: its own aggregation");
  }

  @Test
  void askedForExplicitlyTheRunIsRefusedNamingTheSetting() {
    Sequential model = ChannelExchangeTest.SPEC.build(2);
    SparkTrainer trainer = ChannelExchangeTest.trainer(jsc(), model, TrainingOptions.of(100, 1, 0.05, 3),
        Exchange.CHANNEL).withAggregation(Aggregation.SLICED).hidePartitionZeroFromItsPeers();
    try (PartitionedDataset data = PartitionedDataset.distribute(jsc(), ChannelExchangeTest.train, 2, "digits")) {
      IllegalStateException e = assertThrows(IllegalStateException.class,
          () -> trainer.fit(data, null, TrainingListener.none()));
      assertTrue(e.getMessage().contains(Aggregation.KEY + "=sliced") && e.getMessage().contains("cannot reach each "
          + "other") && e.getMessage().contains("could not link with its peers"), e.getMessage());
    }
  }
}
