package io.sparknn.train.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;

/** The model's terms on a real cluster and on one machine whose CPUs the driver and every executor share. */
class CommunicationModelTest {
  private static final int W = CommunicationModel.MEASURED_WEIGHTS;
  private static final CommunicationModel M = new CommunicationModel(6.0, 0.5, 9.0, 200_000,
      Double.POSITIVE_INFINITY, 0.4, 12.0, 1_000_000, 3.0, 0.3);

  @Test
  void withACpuPerExecutorTheSharedMachineIsTheRealCluster() {
    for (Aggregation a : Aggregation.values()) {
      for (int p : new int[] {1, 2, 8}) {
        assertEquals(M.iterationMs(p, W, 1024, a), M.sharedIterationMs(p, W, 1024, a, 8), 1e-12);
        assertEquals(M.iterationMs(p, W, 1024, a), M.sharedIterationMs(p, W, 1024, a, 64), 1e-12);
      }
    }
  }

  @Test
  void oversubscribedExecutorsTakeTurnsOnTheirSideOfTheCriticalPathOnly() {
    // 8 one-core executors on 2 CPUs: their work takes 4 times as long, the driver's does not grow.
    assertEquals(4.0, CommunicationModel.turns(8, 2));
    assertEquals(1.0, CommunicationModel.turns(1, 2));
    double direct = M.taskCpuMs() + M.computeMs(8, W, 128);
    assertEquals(direct, M.executorChainMs(8, W, 128, Aggregation.DIRECT), 1e-12);
    assertEquals(M.iterationMs(8, W, 128, Aggregation.DIRECT) + 3 * direct,
        M.sharedIterationMs(8, W, 128, Aggregation.DIRECT, 2), 1e-12);
    // sliced: a map task and then a reduce task on the path, each with its own per-task work
    double sliced = 2 * M.taskCpuMs() + M.computeMs(8, W, 128);
    assertEquals(M.iterationMs(8, W, 128, Aggregation.SLICED) + 3 * sliced,
        M.sharedIterationMs(8, W, 128, Aggregation.SLICED, 2), 1e-12);
    // the channel has no Spark task per iteration: only its compute takes turns
    double bytes = 2.0 * 8 * 8 * W;
    assertEquals(M.channelIterationMs(8, W, 128, bytes, 2) + 3 * M.computeMs(8, W, 128),
        M.sharedChannelIterationMs(8, W, 128, bytes, 2), 1e-12);
  }

  @Test
  void theChannelsDriverCopiesOnEveryCpuItHasUpToOneThreadPerLinkButItsLinkCarriesEveryByteInTurn() {
    double bytes = 2.0 * 8 * 8 * W;
    // the driver's step and the tasks' compute: what does not move bytes
    double notCopying = M.driverStepMs() + M.computeMs(8, W, 1024);
    assertEquals(bytes / M.channelBytesPerMs(), M.channelIterationMs(8, W, 1024, bytes, 1) - notCopying, 1e-9);
    assertEquals(bytes / (2 * M.channelBytesPerMs()), M.channelIterationMs(8, W, 1024, bytes, 2) - notCopying,
        1e-9);
    assertEquals(bytes / (8 * M.channelBytesPerMs()), M.channelIterationMs(8, W, 1024, bytes, 64) - notCopying,
        1e-9);
    CommunicationModel tenGbE = M.onLink(1.25e6);
    assertEquals(bytes / (8 * M.channelBytesPerMs()) + bytes / 1.25e6,
        tenGbE.channelIterationMs(8, W, 1024, bytes, 64) - notCopying, 1e-9);
    assertEquals(M.channelIterationMs(8, W, 1024, bytes, 4), M.denseChannelIterationMs(8, W, 1024, 4), 1e-12);
  }

  @Test
  void summedAmongTheTasksTheChannelsDriverMovesTwoVectorsWhateverPAndEachTaskItsPeersShare() {
    double b = 8.0 * W;
    double notCopying = M.driverStepMs() + M.computeMs(8, W, 1024);
    // driver: one slice of the weights out and one of the sum in per task, 2b in all, on 2 link threads;
    // each task: (P-1)/P of b in, for the weights and for the gradient, as much written beside it
    assertEquals(2 * b / (2 * M.channelBytesPerMs()) + 2 * 7.0 / 8 * b / M.channelBytesPerMs(),
        M.slicedChannelIterationMs(8, W, 1024, 2) - notCopying, 1e-9);
    CommunicationModel tenGbE = M.onLink(1.25e6);
    assertEquals(2 * b * 15.0 / 8 / 1.25e6, tenGbE.slicedChannelIterationMs(8, W, 1024, 2)
        - M.slicedChannelIterationMs(8, W, 1024, 2), 1e-9, "driver out, gather, scatter, driver in: in turn");
    assertEquals(M.slicedChannelIterationMs(8, W, 128, 2) + 3 * (M.computeMs(8, W, 128) + M.peerCopyMs(8, W)),
        M.sharedSlicedChannelIterationMs(8, W, 128, 2), 1e-12, "8 tasks on 2 CPUs: their own work takes turns");
    // The driver's share stays flat in P while the dense channel's grows like P: beyond a few tasks on a real
    // link the tasks' own exchange pays.
    assertTrue(tenGbE.slicedChannelPays(100, W, 8));
    assertTrue(tenGbE.slicedChannelPays(8, W, 8));
    assertTrue(!M.slicedChannelPays(2, W, 2), "two tasks on loopback: a tie, which keeps the direct path");
    assertTrue(M.slicedChannelPays(3, W, 2), "three: the driver's copies shrink by more than the peers' grow");
    assertTrue(tenGbE.slicedChannelIterationMs(100, W, 1024, 8) < tenGbE.slicedChannelIterationMs(8, W, 1024, 8)
        + 2 * b / 1.25e6 * 0.2, "the sliced channel's time hardly grows with P");
  }

  @Test
  void theChannelsDriverStepsTheOptimizerOncePerIterationWhateverP() {
    for (int p : new int[] {1, 2, 8, 100}) {
      assertEquals(M.driverStepMs(), M.channelIterationMs(p, W, 128, 0, 2) - M.computeMs(p, W, 128), 1e-12);
    }
    CommunicationModel without = CommunicationModel.fromConf(new SparkConf(false)
        .set("spark.sparknn.model.driverStepMs", "0"));
    assertEquals(CommunicationModel.LOOPBACK.driverStepMs(), CommunicationModel.LOOPBACK.slicedChannelIterationMs(8,
        W, 128, 2) - without.slicedChannelIterationMs(8, W, 128, 2), 1e-12);
    assertEquals(CommunicationModel.LOOPBACK.driverStepMs(), CommunicationModel.LOOPBACK.denseChannelIterationMs(8,
        W, 128, 2) - without.denseChannelIterationMs(8, W, 128, 2), 1e-12);
  }

  @Test
  void theNewTermIsASettingLikeTheOthers() {
    assertEquals(CommunicationModel.LOOPBACK, CommunicationModel.fromConf(new SparkConf(false)));
    CommunicationModel set = CommunicationModel.fromConf(new SparkConf(false)
        .set("spark.sparknn.model.taskCpuMs", " 1.5 "));
    assertEquals(1.5, set.taskCpuMs());
    assertEquals(CommunicationModel.LOOPBACK.jobMs(), set.jobMs());
    assertEquals(1.5, set.onLink(1.25e6).taskCpuMs(), "a link does not change an executor's own work");
    assertTrue(CommunicationModel.LOOPBACK.taskCpuMs() > 0);
  }
}
