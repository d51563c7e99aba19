package io.sparknn.bench;

import io.sparknn.report.Table;
import io.sparknn.train.spark.Aggregation;
import io.sparknn.train.spark.Exchange;
import io.sparknn.train.spark.IterationTraffic;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The communication model's bytes checked against what every cluster's iterations moved: into the driver, the
 * weights distributed and the shuffle, per iteration, at every {@code P}. Where one machine's CPUs are shared by
 * more one-core executors than it has, the iteration's milliseconds measure how those executors share them as much
 * as the exchange, while its bytes do not depend on the sharing; so the bytes are the check that holds at every
 * {@code P}. A figure the model counts dense is checked within {@link #TOLERANCE} of it. Two figures can only be
 * bounded by the dense count: a gradient sum sent without its {@code +0.0} entries (the channel's replies), and the
 * shuffle, whose blocks Spark compresses ({@code spark.shuffle.compress}, on by default) and in which those zeros
 * take almost no room; they are checked not to exceed it by more than the same tolerance (Spark's framing), and
 * how far below it they came is shown.
 */
final class TrafficCheck {
  /** How far a measured byte count may be from the model's, as a fraction. */
  static final double TOLERANCE = 0.10;

  private TrafficCheck() {}

  /**
   * One figure of one row: measured and modelled bytes per iteration, and whether the model's count is an upper
   * bound (zeros left out on the wire, or compressed) rather than the count itself.
   */
  record Figure(String name, double measured, double model, boolean bound) {
    boolean holds() {
      return bound ? measured <= model * (1 + TOLERANCE) : Math.abs(measured / model - 1) <= TOLERANCE;
    }

    String cell() {
      return String.format(Locale.ROOT, "%.0f / %.0f KB = %.3f%s", measured / 1024, model / 1024, measured / model,
          bound ? " (≤)" : "");
    }
  }

  /** The figures of one measured row ({@code path} as the breakdown names it) on {@code p} executors. */
  static List<Figure> figures(IterationBreakdown b, int p, int weights) {
    boolean channel = b.path().startsWith("channel");
    Aggregation a = b.path().endsWith("sliced") ? Aggregation.SLICED : Aggregation.DIRECT;
    IterationTraffic t = IterationTraffic.of(p, weights, channel ? Exchange.CHANNEL : Exchange.JOBS, a);
    List<Figure> out = new ArrayList<>();
    out.add(new Figure("into the driver", b.resultBytesIn(), t.intoDriver(), channel));
    out.add(new Figure("weights distributed", b.broadcastBytes(), t.weights(), false));
    if (t.shuffle() > 0) {
      out.add(new Figure("shuffle written", b.shuffleBytes(), t.shuffle(), true));
    }
    return out;
  }

  /** The check's table: every cluster's checked rows, each figure measured ÷ the model's count. */
  static String table(List<ClusterBench.Setup> clusters, int weights) {
    Table t = new Table(List.of("session", "batch", "path", "into the driver: measured / model", "weights distributed",
        "shuffle written"));
    for (ClusterBench.Setup s : clusters) {
      for (IterationBreakdown b : checked(s)) {
        List<Object> cells = new ArrayList<>(List.of(s.where(), b.batch(), b.path()));
        figures(b, s.partitions(), weights).forEach(x -> cells.add(x.cell()));
        while (cells.size() < 6) {
          cells.add("—");
        }
        t = t.add(cells.toArray());
      }
    }
    return "Bytes per iteration, measured against the model's count (≤: the model's dense count is an upper bound, "
        + "the replies leaving out their zeros and the shuffle compressed):\n\n" + t.toMarkdown();
  }

  /** The target's line: whether every figure holds, the worst dense one and the lowest bounded one. */
  static String verdict(List<ClusterBench.Setup> clusters, int weights) {
    double worst = 0;
    double lowest = Double.NaN;
    boolean all = true;
    int counted = 0;
    for (ClusterBench.Setup s : clusters) {
      for (IterationBreakdown b : checked(s)) {
        for (Figure x : figures(b, s.partitions(), weights)) {
          all &= x.holds();
          counted++;
          if (x.bound()) {
            lowest = Double.isNaN(lowest) ? x.measured() / x.model() : Math.min(lowest, x.measured() / x.model());
          } else {
            worst = Math.max(worst, Math.abs(x.measured() / x.model() - 1));
          }
        }
      }
    }
    String low = Double.isNaN(lowest) ? "none" : String.format(Locale.ROOT, "lowest %.2f of it", lowest);
    return String.format(Locale.ROOT, "- the model's bytes per iteration at every cluster, batch and path (what the "
        + "oversubscribed sessions are judged by): dense counts within %.0f%% (worst %.1f%%), zero-free replies and "
        + "compressed shuffle at most the dense count, plus as much (%s): %s%n", 100 * TOLERANCE, 100 * worst, low,
        counted > 0 && all ? "PASS" : counted > 0 ? "FAIL" : "FAIL (no cluster row to check)");
  }

  /** The rows the model is checked against: each exchange's default weight shipment. */
  private static List<IterationBreakdown> checked(ClusterBench.Setup s) {
    return s.breakdowns().stream().filter(b -> b.weights().equals("broadcast") || b.weights().equals("channel"))
        .toList();
  }
}
