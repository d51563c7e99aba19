package io.sparknn.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparknn.train.spark.CommunicationModel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The model's bytes against measured rows: dense counts within the tolerance, zero-free replies and the compressed
 * shuffle below them.
 */
class TrafficCheckTest {
  private static final int W = CommunicationModel.MEASURED_WEIGHTS;
  private static final double B = 8.0 * W;

  /** A row that moved {@code in} into the driver, {@code weights} of weights and {@code shuffle} to the shuffle. */
  private static IterationBreakdown row(int p, String path, double in, double weights, double shuffle) {
    return new IterationBreakdown("cluster " + p + "x1", p, 128, path, path.startsWith("channel") ? "channel"
        : "broadcast", 100, 10, 0, 0, 1, 0, 0, 9, 0, 0, 0, in, in, shuffle, weights, null);
  }

  /**
   * Clusters of 2, 4 and 8 executors whose rows moved what the model counts (the direct path's results 2% more,
   * Spark's framing; the sliced path's {@code sliceIn} times its one vector), the replies without their zeros and the
   * compressed shuffle less.
   */
  private static List<ClusterBench.Setup> clusters(double sliceIn) {
    List<ClusterBench.Setup> out = new ArrayList<>();
    for (int p : new int[] {2, 4, 8}) {
      List<IterationBreakdown> rows = List.of(row(p, "direct", 1.02 * p * B, p * B, 0),
          row(p, "sliced", sliceIn * B, p * B, 0.65 * p * B),
          row(p, "channel", 0.7 * p * B, p * B, 0), row(p, "channel_sliced", 0.8 * B, B, 0));
      out.add(new ClusterBench.Setup("cluster " + p + "x1", p, 1, p, p > 2,
          new SparkOverheadBench.Result(p, 10, W, 12, 20, 8.0, 9.0), rows, List.of(),
          new MachineLoad.Section("x", 1, "0 0 0", "0 0 0", 0.0), 2));
    }
    return out;
  }

  @Test
  void rowsThatMovedTheModelsCountsPassAndTheZeroFreeRepliesShowHowFarBelowTheyCame() {
    String verdict = TrafficCheck.verdict(clusters(1.0), W);
    assertTrue(verdict.contains("worst 2.0%"), verdict);
    assertTrue(verdict.contains("lowest 0.65 of it"), verdict);
    assertTrue(verdict.endsWith("PASS\n"), verdict);
    String table = TrafficCheck.table(clusters(1.0), W).replaceAll(" +", " "); // the columns' padding aside
    assertTrue(table.contains("| cluster 8x1 | 128 | sliced | 1361 / 1361 KB = 1.000 | 10885 / 10885 KB = 1.000 | "
        + "7075 / 10885 KB = 0.650 (≤) |"), table);
    assertTrue(table.contains("| cluster 4x1 | 128 | channel | 3810 / 5442 KB = 0.700 (≤) |"), table);
  }

  @Test
  void aDriverTakingEveryTasksSumOnThePathThatShouldNotFails() {
    // at P = 8 the sliced path's driver received all eight sums: what the reduce-scatter exists to prevent
    String verdict = TrafficCheck.verdict(clusters(1.01), W);
    assertTrue(verdict.endsWith("PASS\n"), "1% of framing is within the tolerance: " + verdict);
    List<ClusterBench.Setup> wrong = clusters(1.0);
    ClusterBench.Setup eight = wrong.get(2);
    List<IterationBreakdown> rows = new ArrayList<>(eight.breakdowns());
    rows.set(1, row(8, "sliced", 8 * B, 8 * B, 8 * B));
    wrong.set(2, new ClusterBench.Setup(eight.where(), 8, 1, 8, true, eight.overhead(), rows, List.of(),
        eight.load(), 2));
    verdict = TrafficCheck.verdict(wrong, W);
    assertTrue(verdict.contains("worst 700.0%"), verdict);
    assertTrue(verdict.endsWith("FAIL\n"), verdict);
  }

  @Test
  void aZeroFreeReplyLargerThanTheDenseCountFails() {
    TrafficCheck.Figure over = new TrafficCheck.Figure("into the driver", 1.2 * B, B, true);
    TrafficCheck.Figure framed = new TrafficCheck.Figure("into the driver", 1.05 * B, B, true);
    assertTrue(framed.holds(), "a reply with few zeros may pass the dense count by Spark's framing");
    TrafficCheck.Figure under = new TrafficCheck.Figure("into the driver", 0.5 * B, B, true);
    TrafficCheck.Figure dense = new TrafficCheck.Figure("weights distributed", 0.5 * B, B, false);
    assertFalse(over.holds());
    assertTrue(under.holds(), "zeros left out: below the dense count is what the bound allows");
    assertFalse(dense.holds(), "a dense count half missing is a wrong count");
    assertEquals(3, TrafficCheck.figures(row(8, "sliced", B, 8 * B, 8 * B), 8, W).size());
    assertEquals(2, TrafficCheck.figures(row(8, "direct", 8 * B, 8 * B, 0), 8, W).size(), "no shuffle to count");
  }

  @Test
  void noClusterRowToCheckIsNotAPass() {
    String verdict = TrafficCheck.verdict(List.of(), W);
    assertTrue(verdict.contains("(none)"), verdict);
    assertTrue(verdict.endsWith("FAIL (no cluster row to check)\n"), verdict);
  }
}
