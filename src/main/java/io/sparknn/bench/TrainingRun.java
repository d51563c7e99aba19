package io.sparknn.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What one training run of the benchmark measured, whichever framework ran it. Times are training seconds: the
 * clock is paused while the test set is evaluated. Steady-state figures leave out the first (warm-up) epoch; with
 * a single epoch they fall back to it and {@code steadyIncludesWarmup} says so.
 *
 * @param framework {@code sparknn-spark}, {@code local} or {@code pytorch}
 * @param threads BLAS (or torch) threads per process; for Spark the threads of each task
 * @param epochSeconds training seconds of each completed epoch
 * @param medianIterationMs median training milliseconds of one iteration after the first epoch, if measured
 * @param secondsPerEpoch median of the steady epochs' seconds
 * @param steadySamplesPerSec training rows per {@code secondsPerEpoch}
 * @param timeTo97 training seconds until the first evaluation at ≥ 97% test accuracy, null if never
 * @param timeTo98 the same for 98%
 * @param evalEvery iterations between test evaluations (the resolution of the two times above)
 * @param stopped why the run ended: {@code epochs}, {@code targets}, {@code budget}, or what failed
 * @param meanIterationMs mean training milliseconds of one iteration after the first epoch (over all of them
 *     with a single epoch)
 * @param taskComputeMs for a run on Spark, the milliseconds each task spent computing its sums per iteration,
 *     from the tasks' own clocks, mean over its tasks and over the same iterations as {@code meanIterationMs};
 *     null elsewhere
 */
public record TrainingRun(String framework, String dtype, int threads, int batch, double lr, long warmupIterations,
    int epochsCompleted, long iterations, List<Double> epochSeconds, Double medianIterationMs,
    Double secondsPerEpoch, Double steadySamplesPerSec, boolean steadyIncludesWarmup, Double timeTo97,
    Double timeTo98, Double finalAccuracy, double trainingSeconds, int evalEvery, String stopped,
    Double meanIterationMs, Double taskComputeMs) {

  public TrainingRun {
    epochSeconds = epochSeconds == null ? List.of() : List.copyOf(epochSeconds);
  }

  /** A run that failed before it measured anything. */
  public static TrainingRun failed(String framework, String dtype, int threads, BatchPlan plan, String why) {
    return new TrainingRun(framework, dtype, threads, plan.batch(), plan.lr(), plan.warmupIterations(), 0, 0,
        List.of(), null, null, null, false, null, null, null, 0, 0, why, null, null);
  }

  /** This run with {@code ms} as its tasks' compute per iteration. */
  public TrainingRun withTaskComputeMs(Double ms) {
    return new TrainingRun(framework, dtype, threads, batch, lr, warmupIterations, epochsCompleted, iterations,
        epochSeconds, medianIterationMs, secondsPerEpoch, steadySamplesPerSec, steadyIncludesWarmup, timeTo97,
        timeTo98, finalAccuracy, trainingSeconds, evalEvery, stopped, meanIterationMs, ms);
  }

  /** Training seconds until {@code target} (0.97 or 0.98), null if not reached. */
  public Double timeTo(double target) {
    return target == 0.97 ? timeTo97 : target == 0.98 ? timeTo98 : null;
  }

  /** Median iteration time if measured, else the steady epoch time divided by the iterations of an epoch. */
  public Double iterationMs(long trainRows) {
    if (medianIterationMs != null) {
      return medianIterationMs;
    }
    if (secondsPerEpoch == null) {
      return null;
    }
    return secondsPerEpoch * 1000.0 / ((trainRows + batch - 1) / batch);
  }

  /** The median of the epochs after the first, or the first alone. */
  static Double steadySeconds(List<Double> epochSeconds) {
    if (epochSeconds.isEmpty()) {
      return null;
    }
    List<Double> steady = epochSeconds.size() > 1 ? epochSeconds.subList(1, epochSeconds.size()) : epochSeconds;
    return median(steady);
  }

  static Double median(List<Double> values) {
    if (values == null || values.isEmpty()) {
      return null;
    }
    double[] v = values.stream().mapToDouble(Double::doubleValue).toArray();
    Arrays.sort(v);
    int n = v.length;
    return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  }

  static List<Double> rounded(List<Double> values, int decimals) {
    double scale = Math.pow(10, decimals);
    List<Double> out = new ArrayList<>(values.size());
    for (double v : values) {
      out.add(Math.round(v * scale) / scale);
    }
    return out;
  }
}
