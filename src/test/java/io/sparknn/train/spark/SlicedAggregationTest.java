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
import io.sparknn.train.Target;
import io.sparknn.train.TrainingListener;
import io.sparknn.train.TrainingOptions;
import java.util.List;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The reduce-scatter aggregation through the shuffle against the direct one, bit for bit, in Spark local mode;
 * and how {@code auto} chooses for either exchange.
 */
class SlicedAggregationTest extends SparkTestBase {
  private static Dataset train;
  // BatchNormalization: running statistics travel with slice 0 and must be summed in the same order too.
  private static final ModelSpec SPEC = new ModelSpec(784, List.of(LayerSpec.linear(784, 24),
      LayerSpec.of("BatchNormalization"), LayerSpec.of("LeakyReLU"), LayerSpec.of("Dropout").with("p", 0.2),
      LayerSpec.linear(24, 10), LayerSpec.of("SoftMax")));

  @BeforeAll
  static void loadDigits() {
    train = MnistFiles.trainAndTest(MnistFiles.defaultDir())[0].slice(0, 900);
  }

  private SparkTrainer trainer(Sequential model, TrainingOptions options, Aggregation path) {
    return new SparkTrainer(jsc(), SPEC, model, new CriterionSpec("ClassNLL"), Target.CLASSES, new SgdMomentum(0.9),
        options).withAggregation(path).withExchange(Exchange.JOBS);
  }

  @Test
  void twoEpochsSlicedEndBitIdenticalToDirect() {
    TrainingOptions options = TrainingOptions.of(100, 2, 0.05, 23);
    Sequential direct = SPEC.build(5);
    Sequential sliced = SPEC.build(5);
    SparkTrainer slicedTrainer = trainer(sliced, options, Aggregation.SLICED);
    try (PartitionedDataset data = PartitionedDataset.distribute(jsc(), train, 3, "digits")) {
      trainer(direct, options, Aggregation.DIRECT).fit(data, null, TrainingListener.none());
      slicedTrainer.fit(data, null, TrainingListener.none());
    }
    assertArrayEquals(direct.parameters(), sliced.parameters(), 0.0);
    assertArrayEquals(direct.state(), sliced.state(), 0.0);
    // The driver received one summed vector per iteration, not one per partition.
    IterationTimes t = slicedTrainer.times();
    assertEquals(t.iterations() * 8L * sliced.parameterCount(), t.resultBytes());
  }

  @Test
  void aRetriedMapTaskGivesTheSameBits() {
    TrainingOptions options = TrainingOptions.of(150, 1, 0.05, 31);
    Sequential clean = SPEC.build(8);
    Sequential faulty = SPEC.build(8);
    TaskEvents events;
    try (PartitionedDataset data = PartitionedDataset.distribute(jsc(), train, 2, "digits")) {
      trainer(clean, options, Aggregation.DIRECT).fit(data, null, TrainingListener.none());
      events = TaskEvents.on(jsc());
      trainer(faulty, options, Aggregation.SLICED).failFirstAttemptAt(2).fit(data, null, TrainingListener.none());
      events.stop(jsc());
    }
    assertEquals(1, events.failures().size(), events.failures().toString());
    assertTrue(events.failures().get(0).failure().contains("injected failure of partition 0 at iteration 2"));
    assertArrayEquals(clean.parameters(), faulty.parameters(), 0.0);
  }

  @Test
  void moreSlicesThanValuesStillSumEverything() {
    assertEquals(0, SliceRecord.start(0, 4, 3));
    assertEquals(3, SliceRecord.start(4, 4, 3));
    int covered = 0;
    for (int s = 0; s < 7; s++) {
      covered += SliceRecord.start(s + 1, 7, 174_156) - SliceRecord.start(s, 7, 174_156);
    }
    assertEquals(174_156, covered);
  }

  @Test
  void autoChoosesFromTheModelAndABadSettingIsRefusedByName() {
    SparkConf conf = new SparkConf(false);
    CommunicationModel m = CommunicationModel.LOOPBACK;
    assertEquals(m.best(2, 174_156), Aggregation.choose(conf, 2, 174_156));
    assertEquals(Aggregation.DIRECT, m.best(2, 174_156), "two tasks: a second stage never pays");
    assertEquals(Aggregation.SLICED, m.onLink(1.25e6).best(100, 174_156),
        "a hundred tasks on 10 GbE: the driver's link is the bottleneck");
    assertEquals(Aggregation.DIRECT, Aggregation.choose(conf, 2, 174_156, Exchange.CHANNEL),
        "two tasks on the channel on loopback: a tie (the tasks would copy what the driver no longer does), and a "
        + "tie keeps the direct path");
    assertTrue(m.onLink(1.25e6).slicedChannelPays(100, 174_156, 8),
        "a hundred tasks on the channel on 10 GbE: 200 vectors through the driver's link against 2");
    assertEquals(Aggregation.SLICED, Aggregation.choose(conf.clone().set("spark.sparknn.model.linkBytesPerMs",
        "1.25e6"), 100, 174_156, Exchange.CHANNEL));
    assertEquals(Aggregation.SLICED, Aggregation.choose(conf.clone().set(Aggregation.KEY, "sliced"), 2, 10));
    assertEquals(Aggregation.DIRECT, Aggregation.choose(conf.clone().set(Aggregation.KEY, "direct"), 500, 10));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Aggregation.choose(conf.clone().set(Aggregation.KEY, "tree"), 2, 10));
    assertTrue(e.getMessage().contains(Aggregation.KEY) && e.getMessage().contains("tree"), e.getMessage());
  }
}
