package io.sparknn.train.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;

/**
 * float32 on the wire: runs with the same format end bit-identical, float32 returns half the gradient bytes and
 * ships half the weight bytes, and still learns. A float32 run is not bit-identical to a float64 one (the
 * rounding is real), which is also checked, so the float32 path is proven to have been taken.
 */
class WireFormatTest extends SparkTestBase {
  private static final ModelSpec SPEC = new ModelSpec(784, List.of(LayerSpec.linear(784, 20),
      LayerSpec.of("LeakyReLU"), LayerSpec.linear(20, 10), LayerSpec.of("SoftMax")));

  private record Run(Sequential model, long resultBytes, List<Double> losses) {}

  private Run train(PartitionedDataset data, WireFormat wire) {
    Sequential m = SPEC.build(4);
    List<Double> losses = new ArrayList<>();
    SparkTrainer trainer = new SparkTrainer(jsc(), SPEC, m, new CriterionSpec("ClassNLL"), Target.CLASSES,
        new SgdMomentum(0.9), TrainingOptions.of(100, 3, 0.05, 3)).withWireFormat(wire)
        .withAggregation(Aggregation.DIRECT).withExchange(Exchange.JOBS);
    trainer.fit(data, null, new TrainingListener() {
      @Override
      public void onEpoch(io.sparknn.train.EpochMetrics metrics) {}

      @Override
      public void onIteration(int epoch, long iteration, double loss, double[] weights) {
        losses.add(loss);
      }
    });
    return new Run(m, trainer.times().resultBytes(), losses);
  }

  @Test
  void float32RunsRepeatToTheBitHalveTheGradientBytesAndStillLearn() {
    Dataset train = MnistFiles.trainAndTest(MnistFiles.defaultDir())[0].slice(0, 600);
    try (PartitionedDataset data = PartitionedDataset.distribute(jsc(), train, 2, "digits")) {
      Run f64 = train(data, WireFormat.FLOAT64);
      Run a = train(data, WireFormat.FLOAT32);
      Run b = train(data, WireFormat.FLOAT32);
      assertArrayEquals(a.model().parameters(), b.model().parameters(), 0.0);
      assertEquals(a.losses(), b.losses());
      assertEquals(f64.resultBytes(), 2 * a.resultBytes());
      assertEquals((long) Double.BYTES * SPEC.build(4).parameterCount() * 2 * a.losses().size(), f64.resultBytes());
      assertNotEquals(Arrays.toString(f64.model().parameters()), Arrays.toString(a.model().parameters()));
      int n = a.losses().size();
      double first = (a.losses().get(0) + a.losses().get(1)) / 2;
      double last = (a.losses().get(n - 1) + a.losses().get(n - 2)) / 2;
      assertTrue(last < 0.75 * first, "loss " + first + " -> " + last);
      double last64 = (f64.losses().get(n - 1) + f64.losses().get(n - 2)) / 2;
      assertEquals(last64, last, 0.05 * last64, "float32 ends near float64's loss");
    }
  }

  @Test
  void float32PacksHalfTheBytesAndTheReplicaWidensThemBack() {
    Sequential m = SPEC.build(7);
    byte[] wide = WireFormat.FLOAT64.pack(m.parameters(), m.state());
    byte[] narrow = WireFormat.FLOAT32.pack(m.parameters(), m.state());
    assertEquals(wide.length, 2 * narrow.length);
    Replica replica = new Replica(SPEC, new CriterionSpec("ClassNLL"), Target.CLASSES);
    replica.load(narrow);
    double[] w = replica.model().parameters();
    for (int i = 0; i < w.length; i++) {
      assertEquals((double) (float) m.parameters()[i], w[i], 0.0);
    }
    replica.load(wide);
    assertArrayEquals(m.parameters(), replica.model().parameters(), 0.0);
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> replica.load(new byte[12]));
    assertTrue(e.getMessage().contains("the packed weights holds 12 bytes"), e.getMessage());
  }

  @Test
  void theSettingIsReadAndABadValueIsRefusedByName() {
    SparkConf conf = new SparkConf(false);
    assertEquals(WireFormat.FLOAT64, WireFormat.of(conf));
    assertEquals(WireFormat.FLOAT32, WireFormat.of(conf.clone().set(WireFormat.KEY, "float32")));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> WireFormat.of(conf.clone().set(WireFormat.KEY, "half")));
    assertTrue(e.getMessage().contains(WireFormat.KEY) && e.getMessage().contains("half"), e.getMessage());
  }
}
