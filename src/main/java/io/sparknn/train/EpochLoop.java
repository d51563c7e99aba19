package io.sparknn.train;

import io.sparknn.data.BatchSchedule;
import java.util.function.Supplier;

/**
 * The epoch and step bookkeeping both trainers share: walk the schedule from the current position, let the
 * trainer compute and apply each step, report every iteration and every epoch (with its evaluation) to the
 * listener. The position advances before the listener hears of a step or an epoch, so a checkpoint taken in
 * the listener resumes right after it.
 */
public final class EpochLoop {
  /** One step: computes and applies the update for the current position; returns its mean loss. */
  public interface Step {
    double run(int epoch, int step, long iteration);
  }

  private int epoch;
  private int step;

  int epoch() {
    return epoch;
  }

  int step() {
    return step;
  }

  void moveTo(int epoch, int step) {
    this.epoch = epoch;
    this.step = step;
  }

  /** Runs the remaining epochs; {@code evaluate} gives the epoch's validation result (or null). */
  public void run(BatchSchedule schedule, int epochs, ParameterUpdate update, double[] weights, Step body,
      Supplier<Evaluation> evaluate, TrainingListener listener) {
    long start = System.nanoTime();
    while (epoch < epochs) {
      long epochStart = System.nanoTime();
      double lossSum = 0;
      long rows = 0;
      while (step < schedule.stepsPerEpoch()) {
        long iteration = schedule.iteration(epoch, step);
        int n = schedule.globalBatchRows(step);
        double loss = body.run(epoch, step, iteration);
        lossSum += loss * n;
        rows += n;
        step++;
        listener.onIteration(epoch, iteration, loss, weights);
      }
      double seconds = (System.nanoTime() - epochStart) / 1e9;
      Evaluation val = evaluate.get();
      long iterations = schedule.iteration(epoch + 1, 0);
      double rate = update.rate(epoch, iterations - 1);
      epoch++;
      step = 0;
      listener.onEpoch(new EpochMetrics(epoch, iterations, rows == 0 ? Double.NaN : lossSum / rows, val,
          rows / seconds, (System.nanoTime() - start) / 1e9, rate));
    }
  }
}
