package io.sparknn.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Several visits to one cluster size merged into one session's figures ({@code jobs/bench.sh --cluster-visits N}):
 * every time and byte count the mean over the visits, iterations and bare jobs summed, the timed training runs
 * of every visit kept. The harness visits the sizes in turn (2x1, 4x1, 8x1, then 2x1 again …), so a machine
 * whose speed drifts over the minutes of a run slows every size alike instead of whichever it happened to be
 * measuring; the report shows each visit's iteration times beside the mean, so the drift stays visible.
 */
final class ClusterVisits {
  private ClusterVisits() {}

  /** The visits, in the order they ran, as one session (one visit: itself). */
  static ClusterBench.Setup merge(List<ClusterBench.Setup> visits) {
    ClusterBench.Setup first = visits.get(0);
    if (visits.size() == 1) {
      return first;
    }
    List<IterationBreakdown> rows = new ArrayList<>();
    for (int k = 0; k < first.breakdowns().size(); k++) {
      int row = k;
      rows.add(mean(visits.stream().map(v -> v.breakdowns().get(row)).toList()));
    }
    List<TrainingRun> runs = new ArrayList<>();
    visits.forEach(v -> runs.addAll(v.runs()));
    SparkOverheadBench.Result o = first.overhead();
    boolean floors = visits.stream().allMatch(v -> v.overhead().runJobMs() != null);
    boolean shuffles = visits.stream().allMatch(v -> v.overhead().shuffleJobMs() != null);
    SparkOverheadBench.Result overhead = new SparkOverheadBench.Result(o.partitions(),
        visits.stream().mapToInt(v -> v.overhead().jobs()).sum(), o.weights(),
        mean(visits, v -> v.overhead().bareJobMs()), mean(visits, v -> v.overhead().roundTripMs()),
        floors ? mean(visits, v -> v.overhead().runJobMs()) : null,
        shuffles ? mean(visits, v -> v.overhead().shuffleJobMs()) : null);
    ClusterBench.Setup last = visits.get(visits.size() - 1);
    boolean shares = visits.stream().allMatch(v -> v.load().otherCpuShare() != null);
    MachineLoad.Section load = new MachineLoad.Section(first.load().name(),
        visits.stream().mapToDouble(v -> v.load().wallSeconds()).sum(), first.load().loadavgBefore(),
        last.load().loadavgAfter(), shares ? mean(visits, v -> v.load().otherCpuShare()) : null);
    return new ClusterBench.Setup(first.where(), first.workers(), first.cores(), first.partitions(),
        first.oversubscribed(), overhead, rows, runs, load, first.sharedCpus());
  }

  /** The same breakdown measured on several visits: iterations summed, every time and byte count averaged. */
  static IterationBreakdown mean(List<IterationBreakdown> visits) {
    IterationBreakdown b = visits.get(0);
    for (IterationBreakdown v : visits) {
      if (v.batch() != b.batch() || !v.path().equals(b.path()) || !v.weights().equals(b.weights())) {
        throw new IllegalArgumentException("visits measured different breakdowns: " + b.path() + "/" + b.weights()
            + " at batch " + b.batch() + " against " + v.path() + "/" + v.weights() + " at batch " + v.batch());
      }
    }
    return new IterationBreakdown(b.where(), b.partitions(), b.batch(), b.path(), b.weights(),
        visits.stream().mapToInt(IterationBreakdown::iterations).sum(),
        mean(visits, IterationBreakdown::msMedian), mean(visits, IterationBreakdown::broadcastMs),
        mean(visits, IterationBreakdown::fetchMsPerTask), mean(visits, IterationBreakdown::computeMsPerTask),
        mean(visits, IterationBreakdown::deserializeMsPerTask),
        mean(visits, IterationBreakdown::resultSerializeMsPerTask), mean(visits, IterationBreakdown::jobMs),
        mean(visits, IterationBreakdown::sumUpdateMs), mean(visits, IterationBreakdown::removeMs),
        mean(visits, IterationBreakdown::gcMs), mean(visits, IterationBreakdown::gradientBytesIn),
        mean(visits, IterationBreakdown::resultBytesIn), mean(visits, IterationBreakdown::shuffleBytes),
        mean(visits, IterationBreakdown::broadcastBytes), visits.stream().allMatch(v -> v.cpuMs() != null)
        ? mean(visits, IterationBreakdown::cpuMs) : null);
  }

  private static <T> double mean(List<T> values, ToDoubleFunction<T> f) {
    return values.stream().mapToDouble(f).average().orElse(Double.NaN);
  }
}
