package io.sparknn.train.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The bytes of one iteration on every path, and the time model charging those same bytes. */
class IterationTrafficTest {
  private static final int W = CommunicationModel.MEASURED_WEIGHTS;
  private static final double B = 8.0 * W;
  private static final CommunicationModel M = new CommunicationModel(6.0, 0.5, 9.0, 200_000, 1.25e6, 0.4, 12.0,
      1_000_000, 3.0, 0.3);

  @Test
  void theDriversShareGrowsWithPOnlyWhereItTakesEveryTasksSum() {
    for (int p : new int[] {1, 2, 8, 100}) {
      assertEquals(new IterationTraffic(p * B, p * B, 0), IterationTraffic.of(p, W, Exchange.JOBS, Aggregation.DIRECT));
      assertEquals(new IterationTraffic(B, p * B, p * B),
          IterationTraffic.of(p, W, Exchange.JOBS, Aggregation.SLICED), "one summed vector in, each task's sum in "
              + "slices through the shuffle, every executor the whole broadcast");
      assertEquals(new IterationTraffic(p * B, p * B, 0),
          IterationTraffic.of(p, W, Exchange.CHANNEL, Aggregation.DIRECT));
      assertEquals(new IterationTraffic(B, B, 0), IterationTraffic.of(p, W, Exchange.CHANNEL, Aggregation.SLICED),
          "one slice each way per task, the rest among the tasks");
    }
  }

  @Test
  void theTimeModelChargesTheSameBytes() {
    int p = 8;
    IterationTraffic direct = IterationTraffic.of(p, W, Exchange.JOBS, Aggregation.DIRECT);
    IterationTraffic sliced = IterationTraffic.of(p, W, Exchange.JOBS, Aggregation.SLICED);
    assertEquals(direct.intoDriver() * M.msPerByte(), M.aggregationMs(p, W, Aggregation.DIRECT), 1e-9);
    assertEquals(M.stageMs() + M.taskMs() * p + (sliced.shuffle() / p + sliced.intoDriver()) * M.msPerByte(),
        M.aggregationMs(p, W, Aggregation.SLICED), 1e-9);
    // a torrent: each executor's whole vector, in rounds whose holders double (8 executors and the driver: 4)
    assertEquals(direct.weights() / p * M.msPerByte() * 4, M.distributionMs(p, W), 1e-9);
    IterationTraffic channel = IterationTraffic.of(p, W, Exchange.CHANNEL, Aggregation.DIRECT);
    assertEquals(M.channelIterationMs(p, W, 128, channel.intoDriver() + channel.weights(), 2),
        M.denseChannelIterationMs(p, W, 128, 2), 1e-12);
  }

  @Test
  void theTimeTermsAreTheClosedFormsTheyWereBeforeTheBytesWereCountedApart() {
    for (int p : new int[] {2, 8, 100}) {
      assertEquals(p * B * M.msPerByte(), M.aggregationMs(p, W, Aggregation.DIRECT), 1e-9);
      assertEquals(M.stageMs() + M.taskMs() * p + 2 * B * M.msPerByte(), M.aggregationMs(p, W, Aggregation.SLICED),
          1e-9);
      double sliced = M.driverStepMs() + M.computeMs(p, W, 128) + 2 * B / (Math.min(p, 2) * M.channelBytesPerMs())
          + M.peerCopyMs(p, W) + 2 * B * (2.0 * p - 1) / p / M.linkBytesPerMs();
      assertEquals(sliced, M.slicedChannelIterationMs(p, W, 128, 2), 1e-9 * sliced);
    }
  }
}
