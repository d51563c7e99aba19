package io.sparknn.bench;

import io.sparknn.report.Table;
import io.sparknn.train.spark.Aggregation;
import io.sparknn.train.spark.CommunicationModel;
import java.util.List;
import java.util.Locale;

/**
 * The fitted communication model ({@link ModelFit}) against the harness's measurements: for every cluster row of
 * each exchange's default weight shipment, the iteration the model predicts, on CPUs shared with the driver when
 * the cluster's executors ran on its machine, and the targets' verdicts on it, in seconds (in and out of sample)
 * and in bytes.
 */
final class ModelCheck {
  private ModelCheck() {}

  /**
   * The table of every checked row: measured, predicted, their ratio, and the same by the turns alone.
   */
  static String table(List<ClusterBench.Setup> clusters, ModelFit m, int weights, Cpus cpus) {
    String note = cpus.ownHosts() ? "Predicted with every executor on CPUs of its own: the critical path "
        + "as the model has it, plus whatever the row's tasks measured beyond their fitted work. The last column is "
        + "the critical path alone.\n\n"
        : String.format(Locale.ROOT, "Predicted for %d CPUs shared by the driver and every executor: the "
        + "executors' own work on the critical path (compute, and per task on it deserialising, fetching the "
        + "weights, serialising the result, GC) takes longer than on CPUs of their own by the larger of two bounds, "
        + "their turns on the CPUs (max(1, P/%d) times the work) and what their tasks' clocks measured beyond it. The "
        + "last column is the model with the turns alone.%n%n", cpus.shared(), cpus.shared());
    Table t = new Table(List.of("session", "batch", "path", "measured ms/it", "model ms/it", "model ÷ measured",
        "role", "turns alone ÷ measured"));
    for (ClusterBench.Setup s : clusters) {
      for (int k = 0; k < s.breakdowns().size(); k++) {
        IterationBreakdown b = s.breakdowns().get(k);
        if (!checked(b)) {
          continue;
        }
        double predicted = predicted(m, clusters.get(0), s, k, weights, cpus);
        double byTurns = byTurns(m.of(b.path()), s.partitions(), weights, b, cpus);
        t = t.add(s.where(), b.batch(), b.path(), BenchReport.number(b.msMedian()), BenchReport.number(predicted),
            String.format(Locale.ROOT, "%.2f", predicted / b.msMedian()), s == clusters.get(0) ? "fitted"
                : s.oversubscribed() ? "predicted (oversubscribed)" : "predicted",
            String.format(Locale.ROOT, "%.2f", byTurns / b.msMedian()));
      }
    }
    return note + t.toMarkdown();
  }

  /** Whether the model is checked against a row: the default weight shipment of each exchange. */
  static boolean checked(IterationBreakdown b) {
    return b.weights().equals("broadcast") || b.weights().equals("channel");
  }

  /**
   * The model's iteration time for row {@code k} of cluster {@code s}, the fit's cluster being {@code s0}: the
   * critical path with every executor on a CPU of its own ({@link CommunicationModel#iterationMs}, or the
   * channel's), plus how much longer the executors' own work takes where {@code P} one-core executors share fewer
   * CPUs. That work is compute and, per task on the path (one stage direct, two sliced, none on the channel's
   * long-lived tasks), deserialising, fetching the weights, serialising the result, plus the GC. Two things bound
   * how much longer it takes, and the larger binds: the turns on the CPUs, {@code max(1, P/cpus)} times the work
   * on a CPU of its own ({@link #byTurns}); and what the row's tasks measured beyond that work, the fitted compute
   * at {@code B/P} plus the same row's per-task work on {@code s0} taken back to one CPU per executor (a mean
   * task's clocks, where the driver waits for the last task). The first misses tasks that wait on more than a
   * CPU (the driver serving every fetch in turn, the shuffle's GC); the second misses tasks that start at
   * different times, each measuring less than the stage took. On {@code s0} both add nothing. The channel's tasks
   * do not time their copying with their peers apart from the rest, so that keeps the turns.
   */
  private static double predicted(ModelFit m, ClusterBench.Setup s0, ClusterBench.Setup s, int k, int weights,
      Cpus cpus) {
    IterationBreakdown b = s.breakdowns().get(k);
    IterationBreakdown b0 = s0.breakdowns().get(k);
    CommunicationModel c = m.of(b.path());
    int p = s.partitions();
    double turns = cpus.turns(p);
    double compute = c.computeMs(p, weights, b.batch());
    double alone = ownWork(b0, s0.partitions()) / cpus.turns(s0.partitions()) + compute;
    double measured = ownWork(b, p) + b.computeMsPerTask() - alone;
    return switch (b.path()) {
      case "channel" -> c.channelIterationMs(p, weights, b.batch(), ModelFit.channelBytes(b, p, weights),
          cpus.driver())
          + Math.max((turns - 1) * compute, measured);
      case "channel_sliced" -> c.slicedChannelIterationMs(p, weights, b.batch(), cpus.driver())
          + (turns - 1) * c.peerCopyMs(p, weights) + Math.max((turns - 1) * compute, measured);
      default -> c.iterationMs(p, weights, b.batch(), aggregation(b))
          + Math.max((turns - 1) * c.executorChainMs(p, weights, b.batch(), aggregation(b)), measured);
    };
  }

  /**
   * A row's per-task work on the critical path beside compute, in milliseconds per iteration: none on the channel
   * (no job, no task to start); else deserialising, fetching the weights and serialising the result for each
   * stage's task on the path, and their GC (the iteration's GC over its {@code p} partitions).
   */
  private static double ownWork(IterationBreakdown b, int p) {
    if (b.path().startsWith("channel")) {
      return 0;
    }
    int stages = aggregation(b) == Aggregation.SLICED ? 2 : 1;
    return stages * (b.deserializeMsPerTask() + b.fetchMsPerTask() + b.resultSerializeMsPerTask()) + b.gcMs() / p;
  }

  private static Aggregation aggregation(IterationBreakdown b) {
    return Aggregation.valueOf(b.path().toUpperCase(Locale.ROOT));
  }

  /**
   * The model's iteration time for a measured row by the turns alone: the executors' side of the critical path
   * (their per-task work and compute) taking {@code max(1, P/cpus)} times as long, nothing of it measured on the
   * row's own cluster.
   */
  private static double byTurns(CommunicationModel m, int p, int weights, IterationBreakdown b, Cpus cpus) {
    return switch (b.path()) {
      case "channel" -> m.sharedChannelIterationMs(p, weights, b.batch(), ModelFit.channelBytes(b, p, weights),
          cpus.driver(), cpus.shared());
      case "channel_sliced" -> m.sharedSlicedChannelIterationMs(p, weights, b.batch(), cpus.driver(), cpus.shared());
      default -> m.sharedIterationMs(p, weights, b.batch(), aggregation(b), cpus.shared());
    };
  }

  /**
   * The targets' lines on the model: its seconds at every cluster, batch and path, worst row by session, out of
   * sample, and its bytes ({@link TrafficCheck}).
   */
  static String verdict(List<ClusterBench.Setup> clusters, ModelFit m, int weights, Cpus cpus) {
    StringBuilder out = new StringBuilder();
    double worst = 0;
    double worstByTurns = 0;
    StringBuilder bySession = new StringBuilder();
    for (ClusterBench.Setup s : clusters) {
      double session = 0;
      for (int k = 0; k < s.breakdowns().size(); k++) {
        IterationBreakdown b = s.breakdowns().get(k);
        if (checked(b)) {
          double p = predicted(m, clusters.get(0), s, k, weights, cpus);
          session = Math.max(session, Math.abs(p / b.msMedian() - 1));
          double q = byTurns(m.of(b.path()), s.partitions(), weights, b, cpus);
          worstByTurns = Math.max(worstByTurns, Math.abs(q / b.msMedian() - 1));
        }
      }
      worst = Math.max(worst, session);
      bySession.append(String.format(Locale.ROOT, "%s %s (%s) %.0f%%", bySession.isEmpty() ? "" : ";",
          s.where(), s == clusters.get(0) ? "fitted" : s.oversubscribed() ? "oversubscribed" : "predicted",
          100 * session));
    }
    out.append(String.format(Locale.ROOT, "- model within 25%% of measured at every cluster, batch and path "
        + "(the channel included; on shared CPUs the larger of the executors' turns and what their tasks measured): "
        + "worst %.0f%%: %s (with their turns alone: worst %.0f%%)%n",
        100 * worst, worst <= 0.25 ? "PASS" : "FAIL", 100 * worstByTurns));
    out.append("- the model's seconds, worst row by session:").append(bySession).append('\n');
    out.append(outOfSample(clusters, m, weights, cpus));
    out.append(TrafficCheck.verdict(clusters, weights));
    return out.toString();
  }

  /**
   * The seconds check that tests the model rather than its fit: the rows of every cluster but the fitted one whose
   * executors were not oversubscribed. With none (on a machine of fewer CPUs than the second cluster's executors
   * and driver), it says so: there the seconds are not checked out of sample, and the bytes stand in for them.
   */
  private static String outOfSample(List<ClusterBench.Setup> clusters, ModelFit m, int weights, Cpus cpus) {
    double worst = 0;
    int rows = 0;
    StringBuilder sizes = new StringBuilder();
    for (ClusterBench.Setup s : clusters.subList(1, clusters.size())) {
      if (s.oversubscribed()) {
        continue;
      }
      sizes.append(sizes.isEmpty() ? "" : ", ").append(s.where());
      for (int k = 0; k < s.breakdowns().size(); k++) {
        IterationBreakdown b = s.breakdowns().get(k);
        if (checked(b)) {
          rows++;
          worst = Math.max(worst, Math.abs(predicted(m, clusters.get(0), s, k, weights, cpus) / b.msMedian() - 1));
        }
      }
    }
    if (rows == 0) {
      return "- the model's seconds out of sample (a cluster other than the fitted one, its executors not "
          + "oversubscribed): none here, " + (clusters.size() == 1 ? "only the fitted cluster was measured"
          : "every larger cluster shared too few CPUs; the bytes below are checked at every size") + "\n";
    }
    return String.format(Locale.ROOT, "- the model's seconds out of sample (%s, %d rows): worst %.0f%% (target "
        + "≤ 25%%): %s%n", sizes, rows, 100 * worst, worst <= 0.25 ? "PASS" : "FAIL");
  }
}
