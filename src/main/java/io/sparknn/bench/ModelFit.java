package io.sparknn.bench;

import io.sparknn.train.spark.Aggregation;
import io.sparknn.train.spark.CommunicationModel;
import java.util.List;

/**
 * The communication model fitted to the harness's cluster measurements, twice over: the two exchanges' tasks
 * compute the same sums, but a task of a job per iteration does it beside Spark's own work on the same CPUs (the
 * other tasks' deserialising and fetching, its executor's garbage), measured slower per sample than the channel's
 * long-lived task; so each exchange is predicted with its own tasks' compute, every other term shared. The fit
 * reads the smallest cluster (and every cluster's bare jobs); {@link ModelCheck} then predicts the others.
 *
 * @param jobs the model of the jobs path (direct and sliced), its compute from the direct path's tasks
 * @param channel the same model with the channel's tasks' compute
 */
record ModelFit(CommunicationModel jobs, CommunicationModel channel) {
  /** The model of a measured row's path. */
  CommunicationModel of(String path) {
    return path.startsWith("channel") ? channel : jobs;
  }

  /** As {@link #fit(List, int, Cpus)} with CPUs enough for the driver's copying and every executor. */
  static ModelFit fit(List<ClusterBench.Setup> clusters, int weights) {
    return fit(clusters, weights, new Cpus(Integer.MAX_VALUE, Integer.MAX_VALUE));
  }

  /** As {@link #fit(List, int, Cpus)} on a machine of {@code cpus} CPUs that the driver and executors share. */
  static ModelFit fit(List<ClusterBench.Setup> clusters, int weights, int cpus) {
    return fit(clusters, weights, Cpus.loopback(cpus));
  }

  /**
   * The model's terms from the measurements, the clusters' driver and one-core executors on {@code cpus}. From
   * the smallest cluster: compute from its per-task compute at its two batches, for each exchange from its own
   * tasks (the channel's, when measured, else the direct path's for both);
   * {@code taskCpuMs} from the direct path's task metrics (deserialise, fetch and unpack the weights, serialise
   * the result, GC: what one task does beside compute); {@code driverStepMs} from the driver's timers on its
   * channel (packing the weights, scaling the sum, the update: a fit to one cluster size would otherwise charge
   * them to the bytes, and the larger clusters' bytes would pay them again); the per-byte costs and the extra
   * stage from its direct, sliced and channel iterations (averaged over batches). Job latency by least squares
   * over every cluster's bare runJob floor, less the turns its empty tasks took ({@code P/shared − 1} times what
   * deserialising a task and serialising its result took on the smallest cluster), so that {@code taskMs} is the
   * driver's own cost per task. A cluster larger than the shared CPUs took turns on them, so its per-task
   * figures are divided by {@link CommunicationModel#turns}. The larger clusters' iterations are then predictions,
   * not fits.
   */
  static ModelFit fit(List<ClusterBench.Setup> clusters, int weights, Cpus cpus) {
    ClusterBench.Setup s0 = clusters.get(0);
    int p = s0.partitions();
    double turns0 = cpus.turns(p);
    List<IterationBreakdown> direct = s0.breakdowns().stream().filter(b -> b.path().equals("direct"))
        .filter(b -> b.weights().equals("broadcast")).toList();
    List<IterationBreakdown> sliced = s0.breakdowns().stream().filter(b -> b.path().equals("sliced")).toList();
    List<IterationBreakdown> channel = s0.breakdowns().stream().filter(b -> b.path().equals("channel")).toList();
    double taskCpuMs = direct.stream().mapToDouble(b -> b.deserializeMsPerTask() + b.fetchMsPerTask()
        + b.resultSerializeMsPerTask() + b.gcMs() / p).average().orElse(0) / turns0;
    double emptyTaskMs = direct.stream().mapToDouble(b -> b.deserializeMsPerTask() + b.resultSerializeMsPerTask())
        .average().orElse(0) / turns0;
    double n = clusters.size();
    double sx = 0;
    double sy = 0;
    double sxx = 0;
    double sxy = 0;
    for (ClusterBench.Setup s : clusters) {
      double x = s.partitions();
      Double runJob = s.overhead().runJobMs();
      double y = (runJob != null ? runJob : s.overhead().bareJobMs())
          - (cpus.turns(s.partitions()) - 1) * emptyTaskMs;
      sx += x;
      sy += y;
      sxx += x * x;
      sxy += x * y;
    }
    double taskMs = n > 1 ? Math.max(0, (n * sxy - sx * sy) / (n * sxx - sx * sx)) : 0;
    double jobMs = (sy - taskMs * sx) / n;
    double[] jobsCompute = compute(direct, p, turns0, weights);
    double[] channelCompute = channel.size() > 1 ? compute(channel, p, turns0, weights) : jobsCompute;
    // The channel driver's step from its own timers: packing the weights, scaling the sum, the update.
    double driverStepMs = channel.isEmpty() ? CommunicationModel.LOOPBACK.driverStepMs()
        : channel.stream().mapToDouble(b -> b.broadcastMs() + b.sumUpdateMs()).average().orElse(0);
    CommunicationModel base = new CommunicationModel(jobMs, taskMs, 0, 1, Double.POSITIVE_INFINITY, jobsCompute[0],
        jobsCompute[1], 1, taskCpuMs, driverStepMs);
    double bytes = 8.0 * weights;
    double rounds = Math.ceil(Math.log(p + 1) / Math.log(2));
    double perByte = 0;
    for (IterationBreakdown d : direct) {
      double rest = d.msMedian() - base.jobLatencyMs(p) - base.computeMs(p, weights, d.batch())
          - (turns0 - 1) * base.executorChainMs(p, weights, d.batch(), Aggregation.DIRECT);
      perByte += Math.max(rest, 1e-6) / (bytes * (rounds + p)) / direct.size();
    }
    CommunicationModel withBytes = new CommunicationModel(jobMs, taskMs, 0, 1 / perByte, Double.POSITIVE_INFINITY,
        jobsCompute[0], jobsCompute[1], 1, taskCpuMs, driverStepMs);
    double stage = 0;
    for (IterationBreakdown d : sliced) {
      stage += (d.msMedian() - withBytes.sharedIterationMs(p, weights, d.batch(), Aggregation.SLICED, cpus.shared()))
          / sliced.size();
    }
    // The channel: what its iterations took beyond its tasks' modelled compute and the driver's step, per byte
    // that crossed its links, on each of the driver's link threads that copied at once.
    CommunicationModel channelBase = base.withCompute(channelCompute[0], channelCompute[1]);
    double channelPerByte = 0;
    for (IterationBreakdown d : channel) {
      double rest = d.msMedian() - driverStepMs - turns0 * channelBase.computeMs(p, weights, d.batch());
      channelPerByte += Math.max(rest, 1e-6) * Math.min(p, cpus.driver()) / channelBytes(d, p, weights)
          / channel.size();
    }
    CommunicationModel jobs = new CommunicationModel(jobMs, taskMs, Math.max(0, stage), 1 / perByte,
        Double.POSITIVE_INFINITY, jobsCompute[0], jobsCompute[1], channel.isEmpty()
        ? CommunicationModel.LOOPBACK.channelBytesPerMs() : 1 / channelPerByte, taskCpuMs, driverStepMs);
    return new ModelFit(jobs, jobs.withCompute(channelCompute[0], channelCompute[1]));
  }

  /**
   * The compute term from {@code rows} of one exchange at two batch sizes, {@code {computeMs, computeUs}}: the
   * per-task compute's line through them (one row: a constant), taken back to one CPU per task.
   */
  private static double[] compute(List<IterationBreakdown> rows, int p, double turns, int weights) {
    IterationBreakdown a = rows.get(0);
    if (rows.size() == 1) {
      return new double[] {a.computeMsPerTask() / turns, 0};
    }
    IterationBreakdown b = rows.get(1);
    double perSampleMs = (b.computeMsPerTask() - a.computeMsPerTask()) / turns
        / ((b.batch() - a.batch()) / (double) p);
    return new double[] {a.computeMsPerTask() / turns - perSampleMs * a.batch() / p,
        perSampleMs * 1000 * CommunicationModel.MEASURED_WEIGHTS / weights};
  }

  /**
   * Bytes a channel row moved through the driver per iteration, as counted on its links (replies leave out their
   * gradients' zeros, so fewer than dense); dense, {@code 2·P·8·|w|}, if the row counted none (local mode).
   */
  static double channelBytes(IterationBreakdown b, int p, int weights) {
    double counted = b.gradientBytesIn() + b.broadcastBytes();
    return counted > 0 ? counted : 2.0 * p * 8.0 * weights;
  }
}
