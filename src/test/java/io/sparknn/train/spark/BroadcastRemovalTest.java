package io.sparknn.train.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import io.sparknn.train.EpochMetrics;
import io.sparknn.train.Target;
import io.sparknn.train.TrainingListener;
import io.sparknn.train.TrainingOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkEnv;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.BlockId;
import org.apache.spark.storage.BroadcastBlockId;
import org.junit.jupiter.api.Test;

/**
 * Weight broadcasts removed on the background thread: the run ends in the same bits as with removal inside the
 * iteration, and when {@code fit} returns, normally or by an exception, none of its weight broadcasts is left.
 */
class BroadcastRemovalTest extends SparkTestBase {
  private static final ModelSpec SPEC = new ModelSpec(784, List.of(LayerSpec.linear(784, 20),
      LayerSpec.of("LeakyReLU"), LayerSpec.linear(20, 10), LayerSpec.of("SoftMax")));

  @Test
  void backgroundRemovalEndsBitIdenticalAndLeavesNoWeightBroadcast() {
    Dataset train = MnistFiles.trainAndTest(MnistFiles.defaultDir())[0].slice(0, 600);
    TrainingOptions options = TrainingOptions.of(100, 2, 0.05, 3);
    Sequential background = SPEC.build(4);
    Sequential blocking = SPEC.build(4);
    try (PartitionedDataset data = PartitionedDataset.distribute(jsc(), train, 2, "digits")) {
      for (Sequential m : List.of(background, blocking)) {
        long before = nextBroadcastId();
        new SparkTrainer(jsc(), SPEC, m, new CriterionSpec("ClassNLL"), Target.CLASSES, new SgdMomentum(0.9),
            options).withExchange(Exchange.JOBS).withBackgroundRemoval(m == background)
            .fit(data, null, TrainingListener.none());
        assertEquals(Set.of(), weightBroadcastsSince(before, m.parameterCount()));
      }
    }
    assertArrayEquals(blocking.parameters(), background.parameters(), 0.0);
  }

  @Test
  void aFailingFitStillRemovesItsBroadcastsAndThrowsItsOwnError() {
    Dataset train = MnistFiles.trainAndTest(MnistFiles.defaultDir())[0].slice(0, 600);
    Sequential m = SPEC.build(4);
    List<Long> seen = new ArrayList<>();
    try (PartitionedDataset data = PartitionedDataset.distribute(jsc(), train, 2, "digits")) {
      long before = nextBroadcastId();
      IllegalStateException e = assertThrows(IllegalStateException.class, () -> new SparkTrainer(jsc(), SPEC, m,
          new CriterionSpec("ClassNLL"), Target.CLASSES, new SgdMomentum(0.9), TrainingOptions.of(50, 2, 0.05, 3))
          .withExchange(Exchange.JOBS).withBackgroundRemoval(true).fit(data, null, new TrainingListener() {
            @Override
            public void onEpoch(EpochMetrics metrics) {}

            @Override
            public void onIteration(int epoch, long iteration, double loss, double[] weights) {
              seen.add(iteration);
              if (iteration == 4) {
                throw new IllegalStateException("listener gave up at iteration 4");
              }
            }
          }));
      assertEquals("listener gave up at iteration 4", e.getMessage());
      assertTrue(nextBroadcastId() - before >= 5, "the run created its broadcasts");
      assertEquals(Set.of(), weightBroadcastsSince(before, m.parameterCount()));
    }
    assertEquals(List.of(0L, 1L, 2L, 3L, 4L), seen);
  }

  @Test
  void theSettingIsReadAndABadValueIsRefusedByName() {
    SparkConf conf = new SparkConf(false).set("spark.master", "local[2]");
    assertTrue(BroadcastRemoval.inBackground(conf));
    assertFalse(BroadcastRemoval.inBackground(conf.clone().set("spark.master", "spark://127.0.0.1:7077")));
    assertTrue(BroadcastRemoval.inBackground(conf.clone().set("spark.master", "spark://127.0.0.1:7077")
        .set(BroadcastRemoval.KEY, "background")));
    assertFalse(BroadcastRemoval.inBackground(conf.clone().set(BroadcastRemoval.KEY, "blocking")));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> BroadcastRemoval.inBackground(conf.clone().set(BroadcastRemoval.KEY, "later")));
    assertTrue(e.getMessage().contains(BroadcastRemoval.KEY) && e.getMessage().contains("later"), e.getMessage());
  }

  /** The id the next broadcast will get (a throw-away broadcast, removed at once). */
  private long nextBroadcastId() {
    Broadcast<byte[]> probe = jsc().broadcast(new byte[1]);
    long id = probe.id();
    probe.destroy(true);
    return id + 1;
  }

  /**
   * Broadcasts created since {@code firstId} whose blocks on the driver still hold at least a weight vector's
   * bytes: the weights' (a task binary or a probe is far smaller).
   */
  private static Set<Long> weightBroadcastsSince(long firstId, int weights) {
    var bm = SparkEnv.get().blockManager();
    Set<Long> left = new TreeSet<>();
    scala.collection.Iterator<BlockId> ids = bm.getMatchingBlockIds(
        id -> id instanceof BroadcastBlockId b && b.broadcastId() >= firstId).iterator();
    while (ids.hasNext()) {
      BroadcastBlockId id = (BroadcastBlockId) ids.next();
      long bytes = bm.getStatus(id).map(s -> s.memSize() + s.diskSize()).getOrElse(() -> 0L);
      if (bytes >= (long) Double.BYTES * weights / 2) {
        left.add(id.broadcastId());
      }
    }
    return left;
  }
}
