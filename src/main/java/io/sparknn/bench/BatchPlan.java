package io.sparknn.bench;

import io.sparknn.optim.LearningRateSchedule;
import io.sparknn.optim.LinearWarmup;

/**
 * One benchmarked configuration of the homework's MLP's training loop, shared by every framework in a harness run so
 * that all of them train with the same batch size, learning rate and warm-up: SGD with momentum 0.9 and a
 * constant rate, or for large batches the linearly scaled rate of Goyal et al. ({@code 0.1 · batch / scaleBase},
 * the base batch being 128 unless chosen otherwise) ramped up over the first {@code warmupIterations} iterations
 * ({@link LinearWarmup}).
 */
public record BatchPlan(int batch, double lr, long warmupIterations) {
  /** The homework's batch size and rate, the reference of the linear scaling rule. */
  public static final int BASE_BATCH = 128;
  public static final double BASE_LR = 0.1;
  public static final double MOMENTUM = 0.9;

  public BatchPlan {
    if (batch <= 0 || !(lr > 0) || warmupIterations < 0) {
      throw new IllegalArgumentException("bad plan: batch " + batch + ", lr " + lr + ", warm-up " + warmupIterations);
    }
  }

  /** {@link #of(int, int, int, double, long)} scaled from the homework's batch of 128. */
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

  /**
   * A plan written {@code BATCH@LR} or {@code BATCH@LR/WARMUP_EPOCHS}, e.g. {@code 1024@0.4/1}: any rate, with a
   * linear warm-up over that many epochs of {@code trainRows} rows.
   */
  public static BatchPlan parse(String text, long trainRows) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+)@([0-9.eE+-]+)(?:/([0-9.]+))?")
        .matcher(text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException("--plans: '" + text + "' is not BATCH@LR or BATCH@LR/WARMUP_EPOCHS"
          + " (e.g. 1024@0.4/1)");
    }
    int batch = Integer.parseInt(m.group(1));
    double lr;
    double warmupEpochs;
    try {
      lr = Double.parseDouble(m.group(2));
      warmupEpochs = m.group(3) == null ? 0 : Double.parseDouble(m.group(3));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--plans: '" + text + "' has a rate or warm-up that is not a number");
    }
    if (batch <= 0 || !(lr > 0) || warmupEpochs < 0) {
      throw new IllegalArgumentException("--plans: '" + text + "' needs a positive batch and rate, warm-up >= 0");
    }
    long stepsPerEpoch = (trainRows + batch - 1) / batch;
    return new BatchPlan(batch, lr, Math.round(warmupEpochs * stepsPerEpoch));
  }

  /** Whether {@code run} trained with this plan (batch, rate and warm-up). */
  public boolean ranBy(TrainingRun run) {
    return run.batch() == batch && run.lr() == lr && run.warmupIterations() == warmupIterations;
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
