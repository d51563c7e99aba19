package io.sparknn.bench;

import io.sparknn.optim.LearningRateSchedule;
import io.sparknn.optim.LinearWarmup;

/**
 * One benchmarked configuration of the seed MLP's training loop, shared by every framework in a harness run so
 * that all of them train with the same batch size, learning rate and warm-up: SGD with momentum 0.9 and a
 * constant rate, or for large batches the linearly scaled rate of Goyal et al. ({@code 0.1 · batch / scaleBase},
 * the base batch being 128 unless chosen otherwise) ramped up over the first {@code warmupIterations} iterations
 * ({@link LinearWarmup}).
 */
public record BatchPlan(int batch, double lr, long warmupIterations) {
  /** The seed's batch size and rate, the reference of the linear scaling rule. */
  public static final int BASE_BATCH = 128;
  public static final double BASE_LR = 0.1;
  public static final double MOMENTUM = 0.9;

  public BatchPlan {
    if (batch <= 0 || !(lr > 0) || warmupIterations < 0) {
      throw new IllegalArgumentException("bad plan: batch " + batch + ", lr " + lr + ", warm-up " + warmupIterations);
    }
  }

  /** {@link #of(int, int, int, double, long)} scaled from the seed's batch of 128. */
  public static BatchPlan of(int batch, int scaleFrom, double warmupEpochs, long trainRows) {
    return of(batch, scaleFrom, BASE_BATCH, warmupEpochs, trainRows);
  }

  /**
   * The plan for {@code batch} on {@code trainRows} rows: the base rate below {@code scaleFrom}; from there on
   * {@code 0.1 · batch / scaleBase} with a warm-up of {@code warmupEpochs} epochs.
   */
  public static BatchPlan of(int batch, int scaleFrom, int scaleBase, double warmupEpochs, long trainRows) {
    if (batch < scaleFrom) {
      return new BatchPlan(batch, BASE_LR, 0);
    }
    long stepsPerEpoch = (trainRows + batch - 1) / batch;
    return new BatchPlan(batch, BASE_LR * batch / scaleBase, Math.round(warmupEpochs * stepsPerEpoch));
  }

  /** The schedule to give {@code TrainingOptions}: constant, or the linear warm-up. */
  public LearningRateSchedule schedule() {
    return warmupIterations == 0 ? LearningRateSchedule.constant()
        : new LinearWarmup(warmupIterations, LearningRateSchedule.constant());
  }

  /** Test evaluations every this many iterations, about every {@code samples} training samples (at least 1). */
  public int evalEvery(int samples) {
    return (int) Math.max(1, Math.rint((double) samples / batch));  // half to even, as Python's round()
  }

  /** For tables: {@code batch 4096 (lr 3.2, warm-up 30 it)}. */
  public String label() {
    return "batch " + batch + (warmupIterations == 0 && lr == BASE_LR ? ""
        : " (lr " + BenchReport.number(lr)
            + (warmupIterations > 0 ? ", warm-up " + warmupIterations + " it" : "") + ")");
  }
}
