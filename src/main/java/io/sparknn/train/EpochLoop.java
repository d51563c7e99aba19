package io.sparknn.train;

import io.sparknn.data.BatchSchedule;
import java.util.function.Supplier;

/**
 * The epoch and step bookkeeping both trainers share: walk the schedule from the current position, let the
 * trainer compute and apply each step, check each epoch against {@link DivergenceRule}, report every iteration
 * and every epoch (with its evaluation) to the listener. The position and the current epoch's running loss sum
 * advance before the listener hears of a step or an epoch, so a checkpoint taken in the listener resumes right
 * after it and its epoch's {@code train_loss} still averages every iteration of the epoch. With local steps
 * ({@link TrainingOptions#localSteps}) a step of the loop is a round of up to that many iterations, never crossing
 * an epoch's end; the listener hears of each round once, as its last iteration.
 */
public final class EpochLoop {
  /**
   * One round: computes and applies the update for the {@code steps} steps from {@code step} (1 without local
   * steps), {@code iteration} being the last one's; returns the round's mean loss.
   */
  public interface Step {
    double run(int epoch, int step, int steps, long iteration);
  }

  private int epoch;
  private int step;
  // The current epoch's loss summed over its rows so far: part of the run's state, like the position.
  private double lossSum;
  private long lossRows;
  // The untrained model's loss (iteration 0), the reference of DivergenceRule's epoch rule; NaN until known.
  private double firstLoss = Double.NaN;

  int epoch() {
    return epoch;
  }

  int step() {
    return step;
  }

  double lossSum() {
    return lossSum;
  }

  long lossRows() {
    return lossRows;
  }

  double firstLoss() {
    return firstLoss;
  }

  void restore(int epoch, int step, double lossSum, long lossRows, double firstLoss) {
    moveTo(epoch, step, lossSum, lossRows);
    this.firstLoss = firstLoss;
  }

  private void moveTo(int epoch, int step, double lossSum, long lossRows) {
    this.epoch = epoch;
    this.step = step;
    this.lossSum = lossSum;
    this.lossRows = lossRows;
  }

  /**
   * Runs the remaining epochs in rounds of {@code localSteps} steps; {@code evaluate} gives the epoch's validation
   * result (or null).
   */
  public void run(BatchSchedule schedule, int epochs, int localSteps, ParameterUpdate update, double[] weights,
      Step body, Supplier<Evaluation> evaluate, TrainingListener listener) {
    long start = System.nanoTime();
    while (epoch < epochs) {
      long epochStart = System.nanoTime();
      long rowsRun = 0;  // rows trained by this call, for the rate (a resumed epoch's lossRows has more)
      while (step < schedule.stepsPerEpoch()) {
        int end = Math.min(step + localSteps, schedule.stepsPerEpoch());
        long iteration = schedule.iteration(epoch, end - 1);
        int n = 0;
        for (int s = step; s < end; s++) {
          n += schedule.globalBatchRows(s);
        }
        double loss = body.run(epoch, step, end - step, iteration);
        if (schedule.iteration(epoch, step) == 0) {
          firstLoss = loss;
        }
        lossSum += loss * n;
        lossRows += n;
        rowsRun += n;
        step = end;
        listener.onIteration(epoch, iteration, loss, weights);
      }
      double seconds = (System.nanoTime() - epochStart) / 1e9;
      Evaluation val = evaluate.get();
      long iterations = schedule.iteration(epoch + 1, 0);
      double rate = update.rate(epoch, iterations - 1);
      double trainLoss = lossRows == 0 ? Double.NaN : lossSum / lossRows;
      if (lossRows > 0) {
        DivergenceRule.checkEpoch(iterations - 1, epoch, trainLoss, firstLoss);
      }
      moveTo(epoch + 1, 0, 0, 0);
      listener.onEpoch(new EpochMetrics(epoch, iterations, trainLoss, val, rowsRun / seconds,
          (System.nanoTime() - start) / 1e9, rate));
    }
  }
}
