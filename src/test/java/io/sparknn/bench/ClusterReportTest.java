package io.sparknn.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparknn.train.spark.Aggregation;
import io.sparknn.train.spark.CommunicationModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cluster report's model fit and tables, on breakdowns generated from a known model. */
class ClusterReportTest {
  private static final int W = CommunicationModel.MEASURED_WEIGHTS;
  private static final CommunicationModel TRUTH = new CommunicationModel(6.0, 0.5, 9.0, 200_000,
      Double.POSITIVE_INFINITY, 0.4, 12.0, 2_000_000);

  private static ClusterBench.Setup setup(int p) {
    List<IterationBreakdown> b = new ArrayList<>();
    for (int batch : new int[] {128, 1024}) {
      for (Aggregation a : Aggregation.values()) {
        double ms = TRUTH.iterationMs(p, W, batch, a);
        b.add(new IterationBreakdown("cluster " + p + "x1", p, batch, a.name().toLowerCase(), "broadcast", 100, ms,
            1, 1, TRUTH.computeMs(p, W, batch), 0.1, 0.1, ms - 2, 0.3, 0.2, 0, a == Aggregation.DIRECT ? 8.0 * W * p
            : 8.0 * W, a == Aggregation.DIRECT ? 8.0 * W * p : 8.0 * W, 0, 8.0 * W * p));
      }
      // Replies without their zeros: 70% of a dense gradient in, the weights out dense.
      double in = 0.7 * 8.0 * W * p;
      double ms = TRUTH.channelIterationMs(p, W, batch, in + 8.0 * W * p);
      b.add(new IterationBreakdown("cluster " + p + "x1", p, batch, "channel", "channel", 100, ms, 0.5, 0.1,
          TRUTH.computeMs(p, W, batch), 0, 0, ms - 1, 0.3, 0, 0, in, in, 0, 8.0 * W * p));
    }
    SparkOverheadBench.Result bare = new SparkOverheadBench.Result(p, 10, W, 12, 20, TRUTH.jobLatencyMs(p));
    MachineLoad.Section load = new MachineLoad.Section("x", 1, "0 0 0", "0 0 0", 0.0);
    return new ClusterBench.Setup("cluster " + p + "x1", p, 1, p, p > 2, bare, b, List.of(), load);
  }

  @Test
  void theFitRecoversTheModelThatGeneratedTheMeasurements() {
    CommunicationModel fitted = ClusterReport.fit(List.of(setup(2), setup(4), setup(8)), W);
    assertEquals(TRUTH.jobMs(), fitted.jobMs(), 1e-9);
    assertEquals(TRUTH.taskMs(), fitted.taskMs(), 1e-9);
    assertEquals(TRUTH.computeMs(), fitted.computeMs(), 1e-9);
    assertEquals(TRUTH.computeUs(), fitted.computeUs(), 1e-9);
    assertEquals(TRUTH.cpuBytesPerMs(), fitted.cpuBytesPerMs(), 1e-6);
    assertEquals(TRUTH.stageMs(), fitted.stageMs(), 1e-9);
    assertEquals(TRUTH.channelBytesPerMs(), fitted.channelBytesPerMs(), 1e-3);
  }

  @Test
  void theSlicedPathPaysOnceTheDriversLinkCarriesMoreThanASecondStage() {
    // direct P·b·c against sliced stage + task·P + 2·b·c: crosses where P·b·c − task·P grows past them
    assertEquals(Aggregation.DIRECT, TRUTH.best(2, W));
    assertEquals(Aggregation.SLICED, TRUTH.best(100, W));
    CommunicationModel tenGbE = TRUTH.onLink(1.25e6);
    assertTrue(tenGbE.msPerByte() > TRUTH.msPerByte());
    long b = tenGbE.hidingBatch(8, W);
    assertTrue(tenGbE.computeMs(8, W, (int) b) >= tenGbE.iterationMs(8, W, (int) b, tenGbE.best(8, W))
        - tenGbE.computeMs(8, W, (int) b) - 1e-9, "at the hiding batch compute covers the rest");
  }

  @Test
  void theReportHoldsEverySessionTheModelCheckAndTheTargets(@TempDir Path dir) throws Exception {
    String md = ClusterReport.write(dir, List.of(setup(2), setup(4), setup(8)), W, 64);
    assertTrue(md.contains("| cluster 2x1 (P=2) | cluster 4x1 (P=4) | cluster 8x1 (P=8) |"), md);
    assertTrue(md.contains("model within 25% of measured at every cluster, batch and path (the channel included): "
        + "worst 0%: PASS"), md);
    assertTrue(md.contains("Spark's cost on cluster 2x1, batch 128, channel exchange"), md);
    assertTrue(md.contains("sliced, batch 128: P=2 1361 KB; P=4 1361 KB; P=8 1361 KB; max ÷ min 1.000"), md);
    assertTrue(Files.size(dir.resolve("cluster-ms.png")) > 0 && Files.size(dir.resolve("cluster.json")) > 0);
  }
}
