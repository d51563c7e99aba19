package io.sparknn.bench;

import io.sparknn.data.PartitionedDataset;
import io.sparknn.nn.criterion.CriterionSpec;
import io.sparknn.optim.SgdMomentum;
import io.sparknn.train.EpochMetrics;
import io.sparknn.train.Target;
import io.sparknn.train.TrainingListener;
import io.sparknn.train.TrainingOptions;
import io.sparknn.train.spark.Aggregation;
import io.sparknn.train.spark.Exchange;
import io.sparknn.train.spark.IterationTimes;
import io.sparknn.train.spark.SparkTrainer;
import io.sparknn.train.spark.TaskClock;
import io.sparknn.train.spark.WeightsShipment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Where one {@link SparkTrainer} iteration's time and bytes go, at one batch size and aggregation path, averaged
 * over the measured iterations of one or more stretches (each on a fresh trainer, {@link Stretch}): the driver's
 * timers ({@link IterationTimes}), the tasks' own ({@link TaskClock}) and Spark's task metrics and block updates
 * ({@link TaskMetricsTotals}). Times are milliseconds per iteration unless "per task"; bytes per iteration.
 *
 * @param where {@code local[2]} or {@code cluster WxC}
 * @param path the aggregation, {@code direct} or {@code sliced}, or for {@link Exchange#CHANNEL} {@code channel} (the
 *     driver adds every task's sum) or {@code channel_sliced} (the tasks add them among themselves)
 * @param weights how the weights travelled: {@code broadcast}, {@code broadcast_blocking_removal} (removed inside
 *     the iteration rather than in the background), {@code task_binary} or {@code channel}
 * @param msMedian median wall time of an iteration (between consecutive updates), over every stretch
 * @param broadcastMs driver: packing and creating the weight broadcast
 * @param fetchMsPerTask a training task fetching and unpacking the weights
 * @param computeMsPerTask a training task computing its sums (and cutting its slices)
 * @param deserializeMsPerTask Spark: deserialising a task (every task of the iteration's stages)
 * @param resultSerializeMsPerTask Spark: serialising a task's result
 * @param jobMs driver: from submitting the job until every result is in (the sliced path's reduce included)
 * @param sumUpdateMs driver: adding the results, and the optimizer's update
 * @param removeMs driver: removing the broadcast
 * @param gradientBytesIn gradient bytes in the results the driver received
 * @param resultBytesIn Spark: serialised task results received by the driver (all tasks); with the channel,
 *     plus the gradient sums it received over TCP
 * @param shuffleBytes shuffle bytes written (the sliced path's map outputs)
 * @param broadcastBytes broadcast pieces the executors stored: weight-distribution traffic, from the driver or
 *     from an executor that already had the piece (0 in local mode, where the executor is the driver); with the
 *     channel, plus the weights the driver sent over TCP
 * @param cpuMs CPU milliseconds the whole machine spent per iteration (every process's busy time from
 *     {@code /proc/stat} between each stretch's first and last iteration: the driver, the executors, the cluster's
 *     daemons and anything else); null where not measured
 */
public record IterationBreakdown(String where, int partitions, int batch, String path, String weights, int iterations,
    double msMedian, double broadcastMs, double fetchMsPerTask, double computeMsPerTask,
    double deserializeMsPerTask, double resultSerializeMsPerTask, double jobMs, double sumUpdateMs,
    double removeMs, double gcMs, double gradientBytesIn, double resultBytesIn, double shuffleBytes,
    double broadcastBytes, Double cpuMs) {

  /**
   * One uninterrupted stretch of a breakdown's iterations on a fresh trainer, its totals as measured; a breakdown
   * is the sum of its stretches ({@link #of}).
   *
   * @param gapsMs the wall time between consecutive updates, for the median
   * @param busyMs the machine's CPU milliseconds over the stretch (NaN without {@code /proc/stat})
   */
  record Stretch(String where, int partitions, int batch, String path, String weights, long iterations,
      double broadcastNs, double weightsNs, double computeNs, long tasks, double deserializeMs,
      double resultSerializeMs, double jobNs, double sumUpdateNs, double removeNs, double gcMs, double gradientBytes,
      double resultBytes, double shuffleBytes, double broadcastBytes, double[] gapsMs, double busyMs) {
    /** Both stretches as one: every total added, the gaps of both kept. */
    Stretch plus(Stretch x) {
      if (x.batch != batch || !x.path.equals(path) || !x.weights.equals(weights)) {
        throw new IllegalArgumentException("stretches of different breakdowns: " + path + "/" + weights
            + " at batch " + batch + " against " + x.path + "/" + x.weights + " at batch " + x.batch);
      }
      double[] gaps = Arrays.copyOf(gapsMs, gapsMs.length + x.gapsMs.length);
      System.arraycopy(x.gapsMs, 0, gaps, gapsMs.length, x.gapsMs.length);
      return new Stretch(where, partitions, batch, path, weights, iterations + x.iterations,
          broadcastNs + x.broadcastNs, weightsNs + x.weightsNs, computeNs + x.computeNs, tasks + x.tasks,
          deserializeMs + x.deserializeMs, resultSerializeMs + x.resultSerializeMs, jobNs + x.jobNs,
          sumUpdateNs + x.sumUpdateNs, removeNs + x.removeNs, gcMs + x.gcMs, gradientBytes + x.gradientBytes,
          resultBytes + x.resultBytes, shuffleBytes + x.shuffleBytes, broadcastBytes + x.broadcastBytes, gaps,
          busyMs + x.busyMs);
    }
  }

  /**
   * A stretch of {@code iterations} measured iterations at one batch size, meeting the tasks {@code how}, after
   * {@code warm} untimed ones on a trainer of their own (none: the trainer's first iteration, which opens its
   * session, is measured like the others, one gap among many for the median). With {@link Exchange#CHANNEL}, the
   * weights read "channel" and the path "channel", or "channel_sliced" with {@link Aggregation#SLICED}.
   */
  static Stretch stretch(JavaSparkContext sc, TaskMetricsTotals totals, String where, PartitionedDataset train,
      BenchOptions o, int batch, Exchange how, Aggregation path, WeightsShipment ship, boolean blockingRemoval,
      int warm, int iterations) {
    if (warm > 0) {
      run(sc, train, o, batch, how, path, ship, blockingRemoval, warm, new ArrayList<>(), new double[2]);
      drain(sc);
    }
    TaskMetricsTotals.Snapshot before = totals.snapshot();
    List<Long> stamps = new ArrayList<>();
    double[] busy = new double[2];
    SparkTrainer t = run(sc, train, o, batch, how, path, ship, blockingRemoval, iterations, stamps, busy);
    drain(sc);
    TaskMetricsTotals.Snapshot m = totals.snapshot().minus(before);
    IterationTimes d = t.times();
    // the machine's CPU time per iteration between the first iteration's end and the last's, for all of them
    double busyMs = (busy[1] - busy[0]) * 1000 / (iterations - 1) * d.iterations();
    TaskClock c = t.taskClock();
    double[] gaps = new double[stamps.size() - 1];
    for (int i = 1; i < stamps.size(); i++) {
      gaps[i - 1] = (stamps.get(i) - stamps.get(i - 1)) / 1e6;
    }
    boolean channel = how == Exchange.CHANNEL;
    return new Stretch(where, train.rdd().getNumPartitions(), batch,
        channel ? (path == Aggregation.SLICED ? "channel_sliced" : "channel")
        : path.name().toLowerCase(Locale.ROOT), channel ? "channel"
        : ship.name().toLowerCase(Locale.ROOT) + (blockingRemoval ? "_blocking_removal" : ""), d.iterations(),
        d.broadcastNs(), c.weightsNs(), c.computeNs(), m.tasks(), m.deserializeMs(), m.resultSerializationMs(),
        d.jobNs(), d.sumNs() + d.updateNs(), d.removeNs(), m.gcMs(), d.resultBytes(),
        m.resultBytes() + (channel ? d.resultBytes() : 0), m.shuffleWriteBytes(),
        m.broadcastBytes() + d.weightBytes(), gaps, busyMs);
  }

  /**
   * The breakdown of one batch size and path from its stretches: every total summed, then divided by the
   * iterations (or the tasks); the median over every stretch's gaps.
   */
  static IterationBreakdown of(List<Stretch> stretches) {
    Stretch s = stretches.stream().reduce(Stretch::plus).orElseThrow();
    double n = s.iterations();
    double mapTasks = n * s.partitions();
    double[] sorted = s.gapsMs().clone();
    Arrays.sort(sorted);
    double median = sorted.length == 0 ? Double.NaN : sorted[sorted.length / 2];
    IterationBreakdown b = new IterationBreakdown(s.where(), s.partitions(), s.batch(), s.path(), s.weights(), (int) n,
        median, s.broadcastNs() / 1e6 / n, s.weightsNs() / 1e6 / mapTasks, s.computeNs() / 1e6 / mapTasks,
        s.deserializeMs() / s.tasks(), s.resultSerializeMs() / s.tasks(), s.jobNs() / 1e6 / n,
        s.sumUpdateNs() / 1e6 / n, s.removeNs() / 1e6 / n, s.gcMs() / n, s.gradientBytes() / n,
        s.resultBytes() / n, s.shuffleBytes() / n, s.broadcastBytes() / n,
        Double.isNaN(s.busyMs()) ? null : s.busyMs() / n);
    System.err.printf("bench:   %s P=%d batch %d %s %s: %.2f ms/it (median of %d stretches), job %.2f, compute/task "
        + "%.2f, fetch/task %.2f, %.0f KB in (results), %.0f KB of broadcast fetched%n", b.where, b.partitions,
        b.batch, b.path, b.weights, median, stretches.size(), b.jobMs, b.computeMsPerTask, b.fetchMsPerTask,
        b.resultBytesIn / 1024, b.broadcastBytes / 1024);
    return b;
  }

  /** How the row differs from the default shipment, for labels: empty, or a clause starting with a comma. */
  String variant() {
    return switch (weights) {
      case "broadcast" -> "";
      case "broadcast_blocking_removal" -> ", broadcast removed inside the iteration";
      case "channel" -> " (long-lived stage, no job per iteration)";
      default -> ", weights in the task binary";
    };
  }

  /** Waits until the listeners have seen every event so far (the task metrics arrive asynchronously). */
  private static void drain(JavaSparkContext sc) {
    try {
      sc.sc().listenerBus().waitUntilEmpty();
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("Spark's listener bus did not drain", e);
    }
  }

  /**
   * Trains {@code iterations} iterations on a fresh trainer, stamping the end of each; returns the trainer.
   * {@code busy} gets the machine's busy CPU seconds at the end of the first iteration and of the last, so that
   * opening the trainer's session is not charged to its iterations.
   */
  private static SparkTrainer run(JavaSparkContext sc, PartitionedDataset train, BenchOptions o, int batch,
      Exchange how, Aggregation path, WeightsShipment ship, boolean blockingRemoval, int iterations,
      List<Long> stamps, double[] busy) {
    TrainingOptions options = TrainingOptions.of(batch, 1000, 0.1, o.seed());
    SparkTrainer t = new SparkTrainer(sc, o.model(), o.model().build(o.seed()), new CriterionSpec("ClassNLL"),
        Target.CLASSES, new SgdMomentum(BatchPlan.MOMENTUM), options).withAggregation(path).withWeightShipment(ship)
        .withBackgroundRemoval(!blockingRemoval).withExchange(how);
    stamps.add(System.nanoTime());
    try {
      t.fit(train, null, new TrainingListener() {
        @Override
        public void onEpoch(EpochMetrics metrics) {}

        @Override
        public void onIteration(int epoch, long iteration, double loss, double[] weights) {
          stamps.add(System.nanoTime());
          if (stamps.size() == 2) {
            busy[0] = MachineLoad.busySeconds();
          }
          if (stamps.size() > iterations) {
            busy[1] = MachineLoad.busySeconds();
            throw new AccuracyClock.Stop("measured");
          }
        }
      });
    } catch (AccuracyClock.Stop expected) {
      // the normal end
    }
    return t;
  }
}
