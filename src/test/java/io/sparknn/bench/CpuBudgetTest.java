package io.sparknn.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparknn.train.spark.CommunicationModel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The channel's CPU work on shared CPUs: its rates fitted back from iterations it generated, and its bound. */
class CpuBudgetTest {
  private static final int W = CommunicationModel.MEASURED_WEIGHTS;
  private static final CpuBudget TRUTH = new CpuBudget(2, 0.8, 0.03, 3e-6, 2e-6);

  /**
   * A channel row of {@code p} tasks at {@code batch}, {@code in} bytes of replies. Unmeasured, the machine's CPU
   * time is unknown and the row takes TRUTH's bound, every CPU busy; measured, the CPUs idled for a third of it and
   * the machine's busy time is TRUTH's work.
   */
  private static IterationBreakdown row(int p, int batch, String path, double in, boolean measured) {
    IterationBreakdown unset = new IterationBreakdown("cluster " + p + "x1", p, batch, path, "channel", 100, 0, 0.5,
        0.1, 1, 0, 0, 0, 0.3, 0, 0, in, in, 0, 8.0 * W * p, null);
    double bound = TRUTH.channelMs(unset, p, W);
    double ms = measured ? 1.5 * bound : bound;
    Double cpuMs = measured ? TRUTH.stepMs() + TRUTH.cpus() * (bound - TRUTH.stepMs()) : null;
    return new IterationBreakdown(unset.where(), p, batch, path, "channel", 100, ms, 0.5, 0.1, 1, 0, 0, ms, 0.3, 0,
        0, in, in, 0, unset.broadcastBytes(), cpuMs);
  }

  private static ClusterBench.Setup cluster(int p, List<Integer> batches, boolean measured) {
    List<IterationBreakdown> rows = new ArrayList<>();
    for (int batch : batches) {
      // replies without their zeros, a smaller share at the larger batch
      rows.add(row(p, batch, "channel", (batch == 128 ? 0.6 : 0.8) * 8.0 * W * p, measured));
      rows.add(row(p, batch, "channel_sliced", 0.7 * 8.0 * W, measured));
    }
    MachineLoad.Section load = new MachineLoad.Section("x", 1, "0 0 0", "0 0 0", 0.0);
    return new ClusterBench.Setup("cluster " + p + "x1", p, 1, p, true, null, rows, List.of(), load);
  }

  @Test
  void theRatesAreFittedBackFromTheIterationsTheyGave() {
    for (boolean measured : new boolean[] {false, true}) {
      CpuBudget fitted = CpuBudget.fit(cluster(2, List.of(128, 1024), measured), TRUTH.stepMs(), W, 2);
      assertEquals(TRUTH.cpus(), fitted.cpus());
      assertEquals(TRUTH.msPerSample(), fitted.msPerSample(), 1e-12);
      assertEquals(TRUTH.msPerLinkByte(), fitted.msPerLinkByte(), 1e-15);
      assertEquals(TRUTH.msPerPeerByte(), fitted.msPerPeerByte(), 1e-15);
      // and bound the larger clusters' iterations, whose bytes grow with the tasks
      for (IterationBreakdown b : cluster(8, List.of(128, 1024), false).breakdowns()) {
        assertEquals(b.msMedian(), fitted.channelMs(b, 8, W), 1e-9);
      }
    }
  }

  @Test
  void iterationsWhoseCpusIdledOverstateTheWorkUnlessTheMachinesBusyTimeWasMeasured() {
    ClusterBench.Setup idled = cluster(2, List.of(128, 1024), true);
    List<IterationBreakdown> unmeasured = idled.breakdowns().stream().map(b -> new IterationBreakdown(b.where(),
        b.partitions(), b.batch(), b.path(), b.weights(), b.iterations(), b.msMedian(), b.broadcastMs(),
        b.fetchMsPerTask(), b.computeMsPerTask(), b.deserializeMsPerTask(), b.resultSerializeMsPerTask(), b.jobMs(),
        b.sumUpdateMs(), b.removeMs(), b.gcMs(), b.gradientBytesIn(), b.resultBytesIn(), b.shuffleBytes(),
        b.broadcastBytes(), null)).toList();
    ClusterBench.Setup assumed = new ClusterBench.Setup(idled.where(), 2, 1, 2, true, null, unmeasured, List.of(),
        idled.load());
    CpuBudget fitted = CpuBudget.fit(assumed, TRUTH.stepMs(), W, 2);
    assertTrue(fitted.msPerLinkByte() > 1.2 * TRUTH.msPerLinkByte(), fitted.toString());
  }

  @Test
  void theDriversStepIsAloneAndTheRestIsSharedOverTheCpus() {
    IterationBreakdown b = row(8, 128, "channel_sliced", 1000, false);
    double work = 0.03 * 128 + 3e-6 * (1000 + 8.0 * W * 8) + 2e-6 * 2 * 7 * 8.0 * W;
    assertEquals(0.8 + work / 2, TRUTH.channelMs(b, 8, W), 1e-9);
    assertEquals(2.0 * 7 * 8 * W, CpuBudget.peerBytes(8, W), 1e-9);
  }

  @Test
  void oneBatchCannotSeparateSamplesFromBytes() {
    assertNull(CpuBudget.fit(cluster(2, List.of(128), true), TRUTH.stepMs(), W, 2));
  }
}
