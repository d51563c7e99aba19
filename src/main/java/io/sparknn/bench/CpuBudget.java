package io.sparknn.bench;

import java.util.List;

/**
 * What one channel iteration costs the CPUs of a machine that the driver and every one-core executor share, and so
 * the least time it can take there: its CPU work over the machine's CPUs. Once more threads are runnable than
 * there are CPUs (four or eight executors on two), the iteration is bound by that work rather than by its
 * critical path, and every part of it counts, the tasks' unpacking and packing of the bytes they move as much as the
 * driver's. The work is the driver's step, a CPU cost per sample of the global batch (whatever {@code P} splits it
 * into) and a CPU cost per byte that crosses a link, both ends' copies, packing and syscalls included: one rate for
 * the driver's links, whose replies are packed without their zeros, another for the links among the tasks, whose
 * slices stay dense. The rates are fitted to the smallest cluster, which has at least one executor per CPU, from the
 * machine's busy CPU time per iteration where the harness measured it, else taking every CPU as busy but while the
 * driver steps (which overstates the work where they idled).
 *
 * @param cpus the machine's CPUs
 * @param stepMs the driver's step: packing the weights, scaling the sum, the update
 * @param msPerSample CPU milliseconds per sample of the global batch, forward and backward
 * @param msPerLinkByte CPU milliseconds per byte between the driver and a task
 * @param msPerPeerByte CPU milliseconds per byte between two tasks
 */
record CpuBudget(int cpus, double stepMs, double msPerSample, double msPerLinkByte, double msPerPeerByte) {

  /**
   * The rates from {@code s0}'s channel rows: its rows with the driver adding the sums at two or more batches give
   * the per-sample and per-byte costs (least squares through the origin of the work beside the step on the batch
   * and the bytes), the rows with the tasks adding them among themselves the per-peer-byte cost. Null when the
   * channel was not measured at two batches.
   */
  static CpuBudget fit(ClusterBench.Setup s0, double stepMs, int weights, int cpus) {
    List<IterationBreakdown> dense = s0.breakdowns().stream().filter(b -> b.path().equals("channel")).toList();
    List<IterationBreakdown> sliced = s0.breakdowns().stream().filter(b -> b.path().equals("channel_sliced"))
        .toList();
    if (dense.stream().mapToInt(IterationBreakdown::batch).distinct().count() < 2) {
      return null;
    }
    double sbb = 0;
    double sbx = 0;
    double sxx = 0;
    double sby = 0;
    double sxy = 0;
    for (IterationBreakdown b : dense) {
      double y = work(b, stepMs, cpus);
      double x = linkBytes(b);
      sbb += (double) b.batch() * b.batch();
      sbx += b.batch() * x;
      sxx += x * x;
      sby += b.batch() * y;
      sxy += x * y;
    }
    double det = sbb * sxx - sbx * sbx;
    double perSample = Math.max(0, (sby * sxx - sbx * sxy) / det);
    double perByte = Math.max(0, (sbb * sxy - sbx * sby) / det);
    double perPeerByte = 0;
    for (IterationBreakdown b : sliced) {
      double rest = work(b, stepMs, cpus) - perSample * b.batch() - perByte * linkBytes(b);
      perPeerByte += Math.max(0, rest) / peerBytes(s0.partitions(), weights) / sliced.size();
    }
    return new CpuBudget(cpus, stepMs, perSample, perByte, perPeerByte);
  }

  /** The least milliseconds a measured channel row's iteration takes on {@code p} executors. */
  double channelMs(IterationBreakdown b, int p, int weights) {
    double peers = b.path().equals("channel_sliced") ? peerBytes(p, weights) : 0;
    return stepMs + (msPerSample * b.batch() + msPerLinkByte * linkBytes(b) + msPerPeerByte * peers) / cpus;
  }

  /**
   * A row's CPU work per iteration beside the driver's step: the machine's busy time where it was measured,
   * else every CPU taken as busy for all of the iteration but the step.
   */
  private static double work(IterationBreakdown b, double stepMs, int cpus) {
    return b.cpuMs() != null ? b.cpuMs() - stepMs : cpus * (b.msMedian() - stepMs);
  }

  /** Bytes a row moved between the driver and the tasks per iteration, as its links counted them. */
  private static double linkBytes(IterationBreakdown b) {
    return b.gradientBytesIn() + b.broadcastBytes();
  }

  /**
   * Bytes the tasks move among themselves per iteration when they add the sums: each of the {@code p} sends and
   * receives {@code (p − 1)/p} of the float64 weights twice (the weights gathered, the sum scattered).
   */
  static double peerBytes(int p, int weights) {
    return 2.0 * (p - 1) * 8.0 * weights;
  }
}
