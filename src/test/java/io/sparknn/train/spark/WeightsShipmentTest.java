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
import io.sparknn.train.Target;
import io.sparknn.train.TrainingListener;
import io.sparknn.train.TrainingOptions;
import java.util.List;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;

/** Weights shipped inside the task binary train to the same bits as weights in a broadcast of their own. */
class WeightsShipmentTest extends SparkTestBase {
  private static final ModelSpec SPEC = new ModelSpec(784, List.of(LayerSpec.linear(784, 20),
      LayerSpec.of("LeakyReLU"), LayerSpec.linear(20, 10), LayerSpec.of("SoftMax")));

  @Test
  void weightsInTheTaskBinaryEndBitIdenticalToABroadcast() {
    Dataset train = MnistFiles.trainAndTest(MnistFiles.defaultDir())[0].slice(0, 600);
    TrainingOptions options = TrainingOptions.of(100, 2, 0.05, 3);
    Sequential broadcast = SPEC.build(4);
    Sequential inline = SPEC.build(4);
    try (PartitionedDataset data = PartitionedDataset.distribute(jsc(), train, 2, "digits")) {
      for (Sequential m : List.of(broadcast, inline)) {
        new SparkTrainer(jsc(), SPEC, m, new CriterionSpec("ClassNLL"), Target.CLASSES, new SgdMomentum(0.9),
            options).withWeightShipment(m == broadcast ? WeightsShipment.BROADCAST : WeightsShipment.TASK_BINARY)
            .withExchange(Exchange.JOBS).fit(data, null, TrainingListener.none());
      }
    }
    assertArrayEquals(broadcast.parameters(), inline.parameters(), 0.0);
  }

  @Test
  void theSettingIsReadAndABadValueIsRefusedByName() {
    SparkConf conf = new SparkConf(false);
    assertEquals(WeightsShipment.BROADCAST, WeightsShipment.of(conf));
    assertEquals(WeightsShipment.TASK_BINARY, WeightsShipment.of(conf.clone().set(WeightsShipment.KEY, "task-binary")));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> WeightsShipment.of(conf.clone().set(WeightsShipment.KEY, "torrent")));
    assertTrue(e.getMessage().contains(WeightsShipment.KEY) && e.getMessage().contains("torrent"), e.getMessage());
  }
}
