package io.sparknn.train.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sparknn.data.Dataset;
import io.sparknn.data.MnistFiles;
import io.sparknn.data.PartitionedDataset;
import io.sparknn.nn.Sequential;
import io.sparknn.nn.criterion.CriterionSpec;
import io.sparknn.optim.SgdMomentum;
import io.sparknn.testing.SparkTestBase;
import io.sparknn.train.LocalTrainer;
import io.sparknn.train.Objective;
import io.sparknn.train.Target;
import io.sparknn.train.TrainingListener;
import io.sparknn.train.TrainingOptions;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Training over fixed row shards ends in the same bits on one JVM with one partition as on Spark with 2 to 8,
 * over one job per iteration (the sums on the driver or reduce-scattered through the shuffle) and over the
 * channel, for a model with batch normalisation and Dropout (whose statistics and masks are per shard); without
 * shards, 2 and 4 partitions end apart.
 */
class FixedShardsTest extends SparkTestBase {
  private static Dataset train;
  static final TrainingOptions SHARDED = TrainingOptions.of(64, 2, 0.05, 31).withShards(8);

  @BeforeAll
  static void loadDigits() {
    train = MnistFiles.trainAndTest(MnistFiles.defaultDir())[0].slice(0, 701);
  }

  /** A laptop's run: one JVM, the data as one partition. */
  static double[] oneJvm(TrainingOptions options, int partitions) {
    Sequential model = ChannelExchangeTest.SPEC.build(5);
    new LocalTrainer(model, new Objective(new CriterionSpec("ClassNLL").build(), Target.CLASSES),
        new SgdMomentum(0.9), options).fit(PartitionedDataset.split(train, partitions, options.shards()), null,
        TrainingListener.none());
    return weightsAndState(model);
  }

  private double[] onSpark(TrainingOptions options, int partitions, Exchange how) {
    return onSpark(jsc(), options, partitions, how, Aggregation.DIRECT).weights();
  }

  /** The weights and running statistics a Spark run ends with, and its driver's byte counts. */
  record SparkRun(double[] weights, IterationTimes times) {}

  static SparkRun onSpark(org.apache.spark.api.java.JavaSparkContext sc, TrainingOptions options, int partitions,
      Exchange how, Aggregation path) {
    Sequential model = ChannelExchangeTest.SPEC.build(5);
    try (PartitionedDataset data = PartitionedDataset.distribute(sc, train, partitions, options.shards(),
        "shards")) {
      SparkTrainer t = ChannelExchangeTest.trainer(sc, model, options, how).withAggregation(path);
      t.fit(data, null, TrainingListener.none());
      return new SparkRun(weightsAndState(model), t.times());
    }
  }

  private static double[] weightsAndState(Sequential model) {
    double[] all = Arrays.copyOf(model.parameters(), model.parameterCount() + model.stateCount());
    System.arraycopy(model.state(), 0, all, model.parameterCount(), model.stateCount());
    return all;
  }

  @Test
  void oneJvmAndTwoToEightPartitionsOnSparkEndInTheSameBits() {
    double[] laptop = oneJvm(SHARDED, 1);
    assertArrayEquals(laptop, oneJvm(SHARDED, 4), "one JVM, the data in 4 partitions");
    assertArrayEquals(laptop, oneJvm(SHARDED, 7), "one JVM, the data in 7 partitions");
    assertArrayEquals(laptop, onSpark(SHARDED, 2, Exchange.JOBS), "Spark, 2 partitions, a job per iteration");
    assertArrayEquals(laptop, onSpark(SHARDED, 2, Exchange.CHANNEL), "Spark, 2 partitions, the channel");
    for (int partitions = 3; partitions <= 8; partitions++) {
      assertArrayEquals(laptop, onSpark(SHARDED, partitions, Exchange.JOBS), "Spark, " + partitions + " partitions");
    }
    SparkRun sliced = onSpark(jsc(), SHARDED, 6, Exchange.JOBS, Aggregation.SLICED);
    assertArrayEquals(laptop, sliced.weights(), "Spark, 6 partitions, the sums reduce-scattered by the shuffle");
    assertEquals(sliced.times().iterations() * (long) Double.BYTES * ChannelExchangeTest.SPEC.build(5)
        .parameterCount(), sliced.times().resultBytes(), "the driver received one summed vector an iteration");
    assertFalse(Arrays.equals(laptop, oneJvm(SHARDED.withShards(16), 1)), "the shard count is part of the run");
  }

  @Test
  void withoutShardsThePartitionCountChangesTheBits() {
    TrainingOptions plain = SHARDED.withShards(0);
    assertFalse(Arrays.equals(onSpark(plain, 2, Exchange.JOBS), onSpark(plain, 4, Exchange.JOBS)));
  }

  @Test
  void layoutsAndWireFormatsThatCannotAddAlongTheTreeAreRefused() {
    try (PartitionedDataset nine = PartitionedDataset.distribute(jsc(), train, 9, "nine");
        PartitionedDataset evenThree = PartitionedDataset.distribute(jsc(), train, 3, "three")) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> ChannelExchangeTest.trainer(jsc(), ChannelExchangeTest.SPEC.build(5), SHARDED, Exchange.JOBS)
              .fit(nine, null, TrainingListener.none()));
      assertEquals("training with 8 shards needs 1 to 8 partitions, so that each holds whole shards; got 9 "
          + "partitions", e.getMessage());
      e = assertThrows(IllegalArgumentException.class,
          () -> ChannelExchangeTest.trainer(jsc(), ChannelExchangeTest.SPEC.build(5), SHARDED, Exchange.JOBS)
              .fit(evenThree, null, TrainingListener.none()));
      assertEquals("partition 0 holds 233 rows, but 8 shards over 701 rows need it to hold rows [0, 175), the "
          + "shards 0 to 1: cut the rows with ShardPlan.rowCuts", e.getMessage());
    }
    try (PartitionedDataset two = PartitionedDataset.distribute(jsc(), train, 2, "two")) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> ChannelExchangeTest.trainer(jsc(), ChannelExchangeTest.SPEC.build(5), SHARDED, Exchange.JOBS)
              .withWireFormat(WireFormat.FLOAT32).fit(two, null, TrainingListener.none()));
      assertEquals("training over 8 fixed row shards adds float64 sums, but the wire format is float32 (Spark "
          + "setting spark.sparknn.wire); set it to float64 or turn the shards off", e.getMessage());
    }
  }
}
