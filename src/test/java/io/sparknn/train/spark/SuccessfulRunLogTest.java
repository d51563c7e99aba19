package io.sparknn.train.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparknn.data.Dataset;
import io.sparknn.data.MnistFiles;
import io.sparknn.data.PartitionedDataset;
import io.sparknn.nn.LayerSpec;
import io.sparknn.nn.ModelSpec;
import io.sparknn.nn.criterion.CriterionSpec;
import io.sparknn.optim.SgdMomentum;
import io.sparknn.testing.ErrorLines;
import io.sparknn.testing.SparkTestBase;
import io.sparknn.train.EpochMetrics;
import io.sparknn.train.Target;
import io.sparknn.train.TrainingListener;
import io.sparknn.train.TrainingOptions;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkEnv;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.BlockManagerMaster;
import org.apache.spark.storage.BroadcastBlockId;
import org.junit.jupiter.api.Test;

/**
 * A successful training run logs no ERROR line, Spark's included: with one job per iteration each iteration's
 * broadcast is removed by the trainer and is also tracked by Spark's ContextCleaner, and the two removals must
 * never overlap; with the channel exchange, the barrier stages end cleanly.
 */
class SuccessfulRunLogTest extends SparkTestBase {
  private static final ModelSpec SPEC = new ModelSpec(784, List.of(LayerSpec.linear(784, 32),
      LayerSpec.of("LeakyReLU"), LayerSpec.linear(32, 10), LayerSpec.of("SoftMax")));

  @Override
  public SparkConf conf() {
    // Small broadcast pieces: removing a broadcast takes many block removals, which widens any overlap.
    return super.conf().set("spark.broadcast.blockSize", "4k");
  }

  /** Lets the cleaner reach a broadcast dropped after the run, so it has handled the garbage before it. */
  private void drainContextCleaner() throws InterruptedException {
    System.gc();
    Broadcast<byte[]> sentinel = jsc().broadcast(new byte[1]);
    BroadcastBlockId block = new BroadcastBlockId(sentinel.id(), "");
    sentinel = null;
    BlockManagerMaster master = SparkEnv.get().blockManager().master();
    for (int i = 0; i < 300 && master.contains(block); i++) {
      System.gc();
      Thread.sleep(100);
    }
    assertTrue(!master.contains(block), "the cleaner did not get to the sentinel broadcast");
  }

  @Test
  void aSuccessfulRunLogsNoErrorLines() throws Exception {
    Dataset[] mnist = MnistFiles.trainAndTest(MnistFiles.defaultDir());
    TrainingOptions options = TrainingOptions.of(20, 2, 0.05, 23);
    try (ErrorLines errors = ErrorLines.attach();
        PartitionedDataset data = PartitionedDataset.distribute(jsc(), mnist[0].slice(0, 600), 2, "digits");
        PartitionedDataset val = PartitionedDataset.distribute(jsc(), mnist[1].slice(0, 200), 2, "validation")) {
      // A collection right after each iteration: the cleaner then handles the iteration's broadcast while a
      // removal of it started by the trainer could still be under way (what a loaded machine does by chance).
      new SparkTrainer(jsc(), SPEC, SPEC.build(9), new CriterionSpec("ClassNLL"), Target.CLASSES,
          new SgdMomentum(0.9), options).withExchange(Exchange.JOBS).fit(data, val, new TrainingListener() {
            @Override
            public void onEpoch(EpochMetrics m) {}

            @Override
            public void onIteration(int epoch, long iteration, double loss, double[] weights) {
              System.gc();
            }
          });
      // The channel: a barrier stage per epoch, ended by the driver between epochs.
      new SparkTrainer(jsc(), SPEC, SPEC.build(9), new CriterionSpec("ClassNLL"), Target.CLASSES,
          new SgdMomentum(0.9), options).withExchange(Exchange.CHANNEL).fit(data, val, TrainingListener.none());
      drainContextCleaner();
      assertEquals(List.of(), errors.lines());
    }
  }
}
